#include "io/merge.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "io/grid_coverage.hpp"
#include "io/provenance_log.hpp"
#include "io/results_file.hpp"
#include "io/results_layout.hpp"
#include "io/results_store.hpp"
#include "io/row_key.hpp"
#include "io/row_screening.hpp"

namespace gs {
namespace {

// Calibration rows describe a rank of one run at one moment, not a grid point: every one is kept.
bool is_calibration(const ResultRow& r) { return r.status == "calib"; }

// An ok row with a non-finite or non-positive time (forged, damaged) counts no more than a
// failed one, so that it never wins over a measurement.
int status_rank(const ResultRow& row) {
  if (row.status == "ok") return has_valid_measurement(row) ? 2 : 0;
  if (row.status == "skipped") return 1;
  return 0;
}

// Whether `candidate` should replace `kept` for the same key.
bool better(const ResultRow& candidate, const ResultRow& kept) {
  const int a = status_rank(candidate), b = status_rank(kept);
  if (a != b) return a > b;
  return candidate.started_unix >= kept.started_unix;
}

std::string attribute(const ResultsFile& f, const char* name) {
  const auto it = f.attributes.find(name);
  return it == f.attributes.end() ? std::string() : it->second;
}

std::string input_entry(const std::string& path, const ResultsFile& f) {
  nlohmann::json entry = {{"event", "merge-input"}, {"source", path}, {"rows", f.rows.size()}};
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [name, value] : f.attributes)
    if (name != "spec") attributes[name] = value;  // the spec text is in the merged spec
  entry["attributes"] = attributes;
  nlohmann::json history = nlohmann::json::array();
  for (const std::string& text : f.provenance)
    history.push_back(nlohmann::json::parse(text, nullptr, false));
  entry["history"] = history;
  std::string text = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kProvenanceWidth) {  // a long history: keep the input's own identity
    entry.erase("history");
    entry["history_dropped"] = "too long for one provenance entry";
    text = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return text;
}

}  // namespace

MergeSummary merge_results(const std::string& out_path, const std::vector<std::string>& inputs,
                           const std::string& command_line, const GridOfJobText& grid_of,
                           bool allow_different_jobs) {
  if (inputs.empty()) throw StoreError("merge: no input files given");
  std::error_code ec;
  for (const std::string& in : inputs)
    if (std::filesystem::exists(out_path, ec) && std::filesystem::exists(in, ec) &&
        std::filesystem::equivalent(in, out_path, ec))
      throw StoreError(fmt::format("{}: is both an input and the output of merge", out_path));
  if (std::filesystem::exists(out_path, ec))
    throw StoreError(fmt::format("{}: already exists; merge writes a new file", out_path));

  std::vector<ResultsFile> files;
  for (const std::string& in : inputs) files.push_back(read_results_file(in));

  const std::string backend = attribute(files[0], "backend");
  const std::string format = attribute(files[0], "format_version");
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (attribute(files[i], "format_version") != format)
      throw StoreError(fmt::format("merge: {} has format_version {}, {} has {}: incompatible",
                                   inputs[i], attribute(files[i], "format_version"), inputs[0],
                                   format));
    if (attribute(files[i], "backend") != backend)
      throw StoreError(fmt::format(
          "merge: {} was measured with backend '{}', {} with '{}': results of different "
          "backends do not merge (their rows would mean different things)",
          inputs[i], attribute(files[i], "backend"), inputs[0], backend));
    hashes.insert(attribute(files[i], "spec_hash"));
    // Different grids (another job, another dtype) make a union that no job file describes and
    // that --resume cannot complete: only when asked for.
    if (!allow_different_jobs && hashes.size() > 1)
      throw StoreError(fmt::format(
          "merge: {} is a sweep of another job file than {} (job '{}' spec_hash {}, job '{}' "
          "spec_hash {}); merge shards and reruns of one job, or add --allow-different-jobs to "
          "merge different grids into one",
          inputs[i], inputs[0], attribute(files[i], "job_name").substr(0, 80),
          attribute(files[i], "spec_hash").substr(0, 80),
          attribute(files[0], "job_name").substr(0, 80),
          attribute(files[0], "spec_hash").substr(0, 80)));
  }

  MergeSummary summary;
  summary.inputs = files.size();
  std::map<RowKey, std::size_t> index;  // key -> position in merged
  std::vector<ResultRow> merged;
  std::vector<DeviceInfo> devices;
  for (const ResultsFile& f : files) {
    summary.unwritten_rows += f.unwritten_rows;
    summary.rows_read += f.rows.size();
    for (const ResultRow& row : f.rows) {
      if (is_calibration(row)) {
        merged.push_back(row);
        continue;
      }
      const auto [it, inserted] = index.emplace(key_of(row), merged.size());
      if (inserted) {
        merged.push_back(row);
      } else {
        ++summary.duplicates_dropped;
        if (better(row, merged[it->second])) merged[it->second] = row;
      }
    }
    devices.insert(devices.end(), f.devices.begin(), f.devices.end());
  }

  RunProvenance provenance;
  provenance.job_name = attribute(files[0], "job_name");
  provenance.backend = backend;
  provenance.command_line = command_line.empty() ? "merge" : command_line;
  provenance.gemmsweep_version = attribute(files[0], "gemmsweep_version");
  provenance.git_revision = attribute(files[0], "git_revision");
  provenance.library_versions = attribute(files[0], "library_versions");
  provenance.slurm_job_id = attribute(files[0], "slurm_job_id");
  std::set<std::string> hosts;
  for (const ResultsFile& f : files) {
    provenance.ranks = std::max(provenance.ranks, std::atoi(attribute(f, "ranks").c_str()));
    for (const ResultRow& row : f.rows)
      if (!row.host.empty()) hosts.insert(row.host);
  }
  provenance.hosts = fmt::format("{}", fmt::join(hosts, ","));
  if (hashes.size() == 1) {
    provenance.spec_hash = *hashes.begin();
    provenance.spec_text = attribute(files[0], "spec");
  } else {
    // Different grids: the merged file is not resumable; its spec lists every input's job file.
    provenance.spec_hash = fmt::format("merged:{}", fmt::join(hashes, "+"));
    for (std::size_t i = 0; i < files.size(); ++i)
      provenance.spec_text +=
          fmt::format("# ---- {} (spec_hash {})\n{}\n", inputs[i], attribute(files[i], "spec_hash"),
                      attribute(files[i], "spec"));
  }

  // Complete means every task of the grid(s) has an ok or skipped row, not that every input was
  // complete: a shard's file is complete for its shard only.
  std::map<std::string, std::string> specs;  // spec_hash -> job text
  for (const ResultsFile& f : files) specs.emplace(attribute(f, "spec_hash"), attribute(f, "spec"));
  std::vector<std::string> spec_texts;
  for (const auto& [hash, text] : specs) spec_texts.push_back(text);
  const GridCoverage coverage = grid_coverage(spec_texts, merged, grid_of);
  summary.grid_known = coverage.known;
  summary.grid_problem = coverage.problem;
  summary.grid_tasks = coverage.tasks;
  summary.missing_tasks = coverage.missing;
  summary.complete = coverage.complete();

  ResultsStore store = ResultsStore::create(out_path, provenance);
  std::vector<std::string> entries;
  for (std::size_t i = 0; i < files.size(); ++i)
    entries.push_back(input_entry(inputs[i], files[i]));
  store.add_provenance(entries);
  store.disable_failed_row_replacement();
  store.add_devices(devices);
  constexpr std::size_t kBatch = 4096;
  for (std::size_t first = 0; first < merged.size(); first += kBatch) {
    const auto last =
        merged.begin() + static_cast<std::ptrdiff_t>(std::min(first + kBatch, merged.size()));
    store.append(std::vector<ResultRow>(merged.begin() + static_cast<std::ptrdiff_t>(first), last));
  }
  store.close(summary.complete);
  summary.rows_written = merged.size();
  std::set<std::string> unique_devices;
  for (const DeviceInfo& d : devices) unique_devices.insert(device_key(d));
  summary.devices = unique_devices.size();
  return summary;
}

}  // namespace gs
