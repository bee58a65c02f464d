#include "io/report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/report_data.hpp"

namespace gs {
namespace {

std::string shape_text(const ResultRow& r) {
  if (r.head_dim > 0)
    return fmt::format("h={} a={} h/a={} s={} b={} t={} dtype={} (batch={} m={} n={} k={})",
                       r.hidden_size, r.heads, r.head_dim, r.seq_length, r.microbatch,
                       r.tensor_parallel, r.dtype, r.batch, r.m, r.n, r.k);
  return fmt::format("batch={} m={} n={} k={} dtype={}", r.batch, r.m, r.n, r.k, r.dtype);
}

std::string stop_reason_text(const UnconvergedGroup& g) {
  std::vector<std::string> parts;
  for (const auto& [reason, n] : g.stop_reasons)
    parts.push_back(fmt::format("{} {}", reason.empty() ? "unknown" : reason, n));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// One long table: section, op, key, rows, tflops, detail, so that a spreadsheet filters it.
void write_csv(const ReportData& d, std::ostream& out) {
  auto line = [&](const std::string& section, const std::string& op, const std::string& key,
                  const std::string& rows, const std::string& tflops, const std::string& detail) {
    out << csv_field(section) << ',' << csv_field(op) << ',' << csv_field(key) << ','
        << csv_field(rows) << ',' << csv_field(tflops) << ',' << csv_field(detail) << '\n';
  };
  line("section", "op", "key", "rows", "tflops", "detail");
  for (const auto& [key, value] : d.run) line("run", "", key, "", "", value);
  for (const auto& [status, n] : d.status_counts)
    line("status", "", status, std::to_string(n), "", "");
  for (const ShapeSummary& s : d.best)
    line("best", s.op, std::to_string(s.row->task_id), "", fmt::format("{:.6g}", s.row->tflops),
         shape_text(*s.row));
  for (const ShapeSummary& s : d.worst)
    line("worst", s.op, std::to_string(s.row->task_id), "", fmt::format("{:.6g}", s.row->tflops),
         shape_text(*s.row));
  for (const ClassMean& c : d.classes)
    line("pow2_class", c.op, std::to_string(c.pow2_class), std::to_string(c.rows),
         fmt::format("{:.6g}", c.mean_tflops), "");
  for (const DeviceComparison& c : d.devices)
    line("device", "", fmt::format("{} rank {} {}", c.host, c.rank, c.device),
         std::to_string(c.shared_shapes), fmt::format("{:.6g}", c.median_tflops),
         fmt::format("relative_speed {:.4g} on shapes other devices measured too",
                     c.relative_speed));
  if (!d.device_note.empty()) line("device", "", "", "", "", d.device_note);
  for (const UnconvergedGroup& g : d.unconverged)
    line("unconverged", g.op, std::to_string(g.pow2_class), std::to_string(g.unconverged), "",
         fmt::format("of {} ok rows; worst rel_ci {:.3g}; stopped by {}", g.rows, g.worst_rel_ci,
                     stop_reason_text(g)));
  for (const ResultRow* r : d.throttled)
    line("throttled", r->op, std::to_string(r->task_id), "", fmt::format("{:.6g}", r->tflops),
         fmt::format("{} on {} rank {}: sm clock {} -> {} MHz, reasons 0x{:x}", shape_text(*r),
                     r->host, r->rank, r->sm_clock_before_mhz, r->sm_clock_after_mhz,
                     r->throttle_reasons));
  for (const CommBandwidth& b : d.bandwidth)
    line("bandwidth", b.op,
         fmt::format("{} group {} bytes {}", b.dtype, b.group_size, b.message_bytes),
         std::to_string(b.rows), "",
         fmt::format("time_s {:.6g} algbw_gbs {:.6g} busbw_gbs {:.6g}", b.time_s, b.algbw_gbs,
                     b.busbw_gbs));
  for (const OpRecommendation& r : d.recommendations)
    line("recommendation", r.op, fmt::format("multiple of {}", r.recommended_class), "",
         fmt::format("{:.6g}", r.best_tflops),
         fmt::format("best class {}; head_dims within 5% of best: {}", r.best_class,
                     fmt::join(r.head_dims, " ")));
}

void write_unconverged_table(const ReportData& d, std::ostream& out) {
  if (d.ok_rows == 0) return;
  if (d.unconverged.empty()) {
    out << fmt::format("\nconvergence: all {} ok rows met the stopping rule (max_rel_ci)\n",
                       d.ok_rows);
    return;
  }
  out << fmt::format(
      "\nnot converged: {} of {} ok rows ({:.1f}%) stopped at a limit before their 95% CI "
      "was within max_rel_ci; their times are less certain (rel_ci column):\n",
      d.unconverged_rows, d.ok_rows,
      100.0 * static_cast<double>(d.unconverged_rows) / static_cast<double>(d.ok_rows));
  for (const UnconvergedGroup& g : d.unconverged)
    out << fmt::format("  {:<28} class {:>2}  {:6} of {:6} rows  worst rel_ci {:>8.3g}  {}\n", g.op,
                       g.pow2_class, g.unconverged, g.rows, g.worst_rel_ci, stop_reason_text(g));
}

void write_devices_table(const ReportData& d, std::ostream& out) {
  if (!d.device_note.empty()) out << "\ndevices: " << d.device_note << "\n";
  if (d.devices.empty()) return;
  out << "\ndevices on equal work (shapes measured by more than one device; relative speed = "
         "median of TFLOP/s / the shape's median across devices):\n";
  for (const DeviceComparison& c : d.devices)
    out << fmt::format(
        "  {} rank {} {:<24} {:6} shared shapes  relative speed {:6.3f}  median "
        "{:10.3f} TFLOP/s\n",
        c.host, c.rank, c.device, c.shared_shapes, c.relative_speed, c.median_tflops);
}

void write_table(const ReportData& d, std::ostream& out) {
  out << fmt::format(
      "results: {} rows, {} devices; job {} backend {}; created {} finished {}; "
      "complete {}\n",
      d.run.at("rows"), d.run.at("devices"), d.run.at("job_name"), d.run.at("backend"),
      d.run.at("created_utc"), d.run.at("finished_utc").empty() ? "-" : d.run.at("finished_utc"),
      d.run.at("complete") == "1" ? "yes" : "no");
  if (d.run.at("unwritten_rows") != "0")
    out << fmt::format(
        "ignored {} unwritten row(s): empty status, /results grew but their write failed "
        "(disk full?); gemmsweep run --resume measures their tasks\n",
        d.run.at("unwritten_rows"));
  if (d.run.at("ignored_rows") != "0")
    out << fmt::format("ignored {} row(s) that cannot be trusted: {}\n", d.run.at("ignored_rows"),
                       d.run.at("ignored_why"));
  if (const auto why = d.run.find("complete_why"); why != d.run.end())
    out << fmt::format("not complete: {}\n", why->second);
  out << "\nstatus:";
  for (const auto& [status, n] : d.status_counts) out << fmt::format("  {} {}", status, n);
  out << "\n";
  // A collective-only file has no GEMM rows: leave out the sections that would be empty.
  if (!d.best.empty()) out << "\nbest and worst shapes per op (TFLOP/s):\n";
  for (std::size_t i = 0; i < d.best.size(); ++i) {
    out << fmt::format("  {:<28} best  {:10.3f}  {}\n", d.best[i].op, d.best[i].row->tflops,
                       shape_text(*d.best[i].row));
    out << fmt::format("  {:<28} worst {:10.3f}  {}\n", "", d.worst[i].row->tflops,
                       shape_text(*d.worst[i].row));
  }
  if (!d.classes.empty())
    out << "\nmean TFLOP/s per power-of-two class of h/a (largest power of two dividing h/a, "
           "capped at 64):\n";
  for (const ClassMean& c : d.classes)
    out << fmt::format("  {:<28} class {:>2}  {:8} rows  {:10.3f}\n", c.op, c.pow2_class, c.rows,
                       c.mean_tflops);
  write_unconverged_table(d, out);
  write_devices_table(d, out);
  constexpr std::size_t kListed = 20;
  if (!d.best.empty() || !d.throttled.empty())
    out << fmt::format(
        "\nthrottled rows: {} (NVML clocks-event reasons other than idle / "
        "application clocks, or SM clock after < 0.9 x before)\n",
        d.throttled.size());
  for (std::size_t i = 0; i < d.throttled.size() && i < kListed; ++i) {
    const ResultRow& r = *d.throttled[i];
    out << fmt::format("  task {} {} {} on {} rank {}: {:.0f} -> {:.0f} MHz, reasons 0x{:x}\n",
                       r.task_id, r.op, shape_text(r), r.host, r.rank, r.sm_clock_before_mhz,
                       r.sm_clock_after_mhz, r.throttle_reasons);
  }
  if (d.throttled.size() > kListed)
    out << fmt::format("  ... and {} more (--format csv lists all)\n",
                       d.throttled.size() - kListed);
  if (!d.bandwidth.empty()) {
    out << "\ncollectives (median of ok rows; GB/s = 1e9 bytes/s; busbw = algbw x nccl-tests' "
           "factor):\n";
    out << fmt::format("  {:<16} {:<6} {:>6} {:>14} {:>6} {:>12} {:>10} {:>10}\n", "op", "dtype",
                       "group", "message_bytes", "rows", "time_us", "algbw", "busbw");
    for (const CommBandwidth& b : d.bandwidth)
      out << fmt::format("  {:<16} {:<6} {:>6} {:>14} {:>6} {:>12.2f} {:>10.3f} {:>10.3f}\n", b.op,
                         b.dtype, b.group_size, b.message_bytes, b.rows, b.time_s * 1e6,
                         b.algbw_gbs, b.busbw_gbs);
  }
  if (!d.recommendations.empty()) out << "\nrecommendations (" << kRecommendRule << "):\n";
  for (const OpRecommendation& r : d.recommendations) {
    if (r.best_class == 0) {
      out << fmt::format("  {:<28} no head_dim axis (raw shapes)\n", r.op);
      continue;
    }
    constexpr std::size_t kShownDims = 16;  // csv and json list them all
    const auto shown = static_cast<std::ptrdiff_t>(std::min(kShownDims, r.head_dims.size()));
    const std::string more = r.head_dims.size() > kShownDims
                                 ? fmt::format(" ... ({} in all)", r.head_dims.size())
                                 : std::string();
    out << fmt::format(
        "  {:<28} h/a a multiple of {} (best class {}); head_dims within 5% of "
        "{:.3f}: {}{}\n",
        r.op, r.recommended_class, r.best_class, r.best_tflops,
        fmt::join(r.head_dims.begin(), r.head_dims.begin() + shown, " "), more);
  }
}

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view text) {
  if (text == "table") return ReportFormat::table;
  if (text == "csv") return ReportFormat::csv;
  if (text == "json") return ReportFormat::json;
  return std::nullopt;
}

void write_report(const ResultsFile& file, ReportFormat format, std::ostream& out) {
  const ReportData data = summarize_results(file);
  switch (format) {
    case ReportFormat::table:
      write_table(data, out);
      break;
    case ReportFormat::csv:
      write_csv(data, out);
      break;
    case ReportFormat::json:
      write_report_json(data, out);
      break;
  }
}

}  // namespace gs
