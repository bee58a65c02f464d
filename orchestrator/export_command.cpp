#include "orchestrator/export_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "io/results_file.hpp"
#include "io/row_export.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/run_setup.hpp"

namespace gs {
namespace {

constexpr const char* kStatuses[] = {"ok", "skipped", "failed", "calib"};

// An op or status the file has no row of is most likely a typo: name what there is.
void check_present(const std::string& option, const std::string& value,
                   const std::set<std::string>& present, const std::string& path) {
  if (present.contains(value)) return;
  throw UsageError(
      fmt::format("{} '{}': no row of {} has it; present: {}", option, value, path,
                  present.empty() ? "none" : fmt::format("{}", fmt::join(present, ", "))));
}

}  // namespace

int export_command(const ExportOptions& o) {
  const auto format = parse_export_format(o.format);
  if (!format)
    throw UsageError(fmt::format("--format: unknown format '{}'; allowed: csv, jsonl", o.format));
  if (o.status && std::ranges::find(kStatuses, *o.status) == std::end(kStatuses))
    throw UsageError(fmt::format("--status: unknown status '{}'; allowed: {}", *o.status,
                                 fmt::join(kStatuses, ", ")));
  if (o.output) {
    check_output_directory(*o.output);
    std::error_code ec;
    if (std::filesystem::is_directory(*o.output, ec))
      throw UsageError(fmt::format("-o {}: is a directory", *o.output));
  }
  const ResultsFile file = read_results_file(o.input);
  std::set<std::string> ops, statuses;
  for (const ResultRow& row : file.rows) {
    ops.insert(row.op);
    statuses.insert(row.status);
  }
  if (o.op) check_present("--op", *o.op, ops, o.input);
  if (o.status) check_present("--status", *o.status, statuses, o.input);

  const RowFilter filter{o.op, o.status};
  if (!o.output) {
    export_rows(file.rows, *format, filter, std::cout);
    std::cout.flush();
    return std::cout ? 0 : static_cast<int>(ExitStatus::failure);
  }
  // Written next to the target and renamed, so that a failed write leaves no half file.
  const std::string partial = *o.output + ".partial";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  const std::size_t rows = export_rows(file.rows, *format, filter, out);
  out.close();
  std::error_code ec;
  if (!out) {
    std::filesystem::remove(partial, ec);
    fmt::print(stderr, "gemmsweep: error: -o {}: write failed\n", *o.output);
    return static_cast<int>(ExitStatus::failure);
  }
  std::filesystem::rename(partial, *o.output, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    fmt::print(stderr, "gemmsweep: error: -o {}: cannot rename into place\n", *o.output);
    return static_cast<int>(ExitStatus::failure);
  }
  fmt::print(stderr, "gemmsweep: wrote {} row(s) of {} to {}\n", rows, o.input, *o.output);
  return 0;
}

}  // namespace gs
