#include "fit/fit_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "fit/fit_input.hpp"
#include "fit/fit_refused.hpp"
#include "fit/gpu_fit.hpp"
#include "fit/term_vector.hpp"
#include "jobs/job_error.hpp"
#include "worker/model/gpu_spec_document.hpp"

namespace gs {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

void check_output(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  if (path.empty()) throw JobError(option, 0, "", "the file name is empty");
  const fs::path out(path);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw JobError(option, 0, "",
                   fmt::format("{}: directory '{}' does not exist", path, dir.string()));
  if (fs::is_directory(out, ec))
    throw JobError(option, 0, "", fmt::format("{}: is a directory", path));
}

// Written beside the target and renamed over it: a failed write never leaves half a file.
void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error(fmt::format("{}: cannot write", tmp));
  }
  std::filesystem::rename(tmp, path);
}

std::string prediction_table(const GpuFit& fit, const GpuSpec& base) {
  std::string csv =
      "op,dtype,hidden_size,chart_class,alignment_class,batch,m,n,k,measured_tflops,"
      "fitted_tflops,kfold_tflops,base_tflops\n";
  GpuSpec base_on_hardware = fit.spec;
  base_on_hardware.dtype_terms = base.dtype_terms;
  base_on_hardware.terms = base.terms;
  for (const DtypeFit& d : fit.dtypes)
    for (std::size_t i = 0; i < d.rows.size(); ++i) {
      const FitObservation& o = d.rows[i];
      const double tf = o.task.flops() / 1e12;
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g}\n",
                         to_string(o.task.op), to_string(d.dtype), o.hidden_size, o.chart_class,
                         o.alignment_class, o.task.shape.batch, o.task.shape.m, o.task.shape.n,
                         o.task.shape.k, tf / o.measured_s, tf / predicted_seconds(o, fit.spec),
                         tf / d.kfold.predicted_s[i], tf / predicted_seconds(o, base_on_hardware));
    }
  return csv;
}

// How many fitted rows the bound holds (time and TFLOP/s each within it), per dtype, and the
// largest error of either: the bound is a penalty, so terms that cannot keep every row within
// leave some outside, and this says so.
std::string bound_note(const GpuFit& fit, double bound) {
  std::string out = fmt::format("--bound {:g}%:", bound * 100);
  for (const DtypeFit& d : fit.dtypes) {
    std::size_t within = 0;
    double largest = 0;
    for (const FitObservation& o : d.rows) {
      const double ratio = predicted_seconds(o, fit.spec) / o.measured_s;
      const double error = std::max(std::abs(ratio - 1), std::abs(1 / ratio - 1));
      largest = std::max(largest, error);
      within += error <= bound ? 1 : 0;
    }
    out += fmt::format(" {} {} of {} row(s) within (largest error {:.1f}%){}", to_string(d.dtype),
                       within, d.rows.size(), largest * 100,
                       within < d.rows.size() ? ": no terms keep the others within" : "");
  }
  return out;
}

}  // namespace

int fit_command(const FitOptions& o) {
  if (o.folds < 2 || o.folds > 20)
    throw JobError("--folds", 0, "", fmt::format("{} is not allowed; allowed: 2 to 20", o.folds));
  check_output(o.output, "-o");
  if (o.table) check_output(*o.table, "--table");
  FitInput input;
  GpuFit fit;
  GpuFitSettings settings;
  settings.folds = o.folds;
  if (!(o.huber_scale >= 0 && o.huber_scale <= 10))
    throw JobError(
        "--huber-scale", 0, "",
        fmt::format("{} is not allowed; allowed: 0 (from the rows) to 10", o.huber_scale));
  settings.robust.huber_scale = o.huber_scale;
  if (!(o.bound >= 0 && o.bound < 1))
    throw JobError("--bound", 0, "",
                   fmt::format("{} is not allowed; allowed: 0 (no bound) or a fraction below 1, "
                               "e.g. 0.25",
                               o.bound));
  settings.robust.error_bound = o.bound;
  for (const std::string& name : o.hold) {
    std::size_t j = 0;
    while (j < kFreeTerms && term_name(j) != name) ++j;
    if (j == kFreeTerms) {
      std::string names;
      for (std::size_t t = 0; t < kFreeTerms; ++t)
        names += fmt::format("{}{}", t ? ", " : "", term_name(t));
      throw JobError("--hold", 0, "", fmt::format("unknown term '{}'; allowed: {}", name, names));
    }
    settings.hold[j] = true;
  }
  try {
    input = read_fit_input(o.input, o.base);
    fit = fit_gpu(input.rows, input.hardware, input.base, settings);
  } catch (const FitRefused& e) {
    throw JobError(o.input, 0, "", std::string("cannot fit: ") + e.what());
  }
  GpuSpecDocument doc{fit.spec, FitRecord{}};
  FitRecord& record = *doc.fit;
  record.source = o.input;
  record.job_fingerprint = input.fingerprint;
  record.base = input.base.name;
  record.date = utc_now();
  std::string scales;
  for (const DtypeFit& d : fit.dtypes)
    scales +=
        fmt::format("{}{} {:.3g}", scales.empty() ? "" : ", ", to_string(d.dtype), d.fit.scale);
  record.loss = fmt::format(
      "Huber on log(predicted/measured) time, scale 1.345 robust sd ({}){}; Levenberg-Marquardt",
      scales,
      o.bound > 0 ? fmt::format(", every row held within {:g}% by a penalty", o.bound * 100) : "");
  record.rows_used = static_cast<int>(input.rows.size());
  record.folds = o.folds;
  record.notes.push_back("hardware: " + input.hardware_from);
  for (const std::string& name : o.hold)
    record.notes.push_back(fmt::format("{}: held at {}'s value (--hold)", name, input.base.name));
  record.notes.insert(record.notes.end(), fit.notes.begin(), fit.notes.end());
  if (o.bound > 0) record.notes.push_back(bound_note(fit, o.bound));
  record.errors = fit.errors;
  const std::string text = format_gpu_spec(doc);
  const std::string table = o.table ? prediction_table(fit, input.base) : std::string();
  write_file(o.output, text);
  if (o.table) write_file(*o.table, table);

  fmt::print("gemmsweep: fitted {} of {} row(s) of {} on {} (terms from {}), wrote {}\n",
             input.rows.size(), input.rows_read, o.input, fit.spec.name, input.base.name, o.output);
  for (const DtypeFit& d : fit.dtypes) {
    const ModelTerms& t = d.fit.terms;
    fmt::print(
        "  {}: compute_efficiency {:.4g}, bandwidth_efficiency {:.4g}, tile {:.3g} us, "
        "launch {:.3g} us ({} iterations)\n",
        to_string(d.dtype), t.compute_efficiency, t.bandwidth_efficiency, t.tile_overhead_s * 1e6,
        t.launch_s * 1e6, d.fit.iterations);
  }
  fmt::print("  {:<20} {:<6} {:<18} {:>6} {:>8} {:>8}\n", "error |pred/meas-1|", "dtype", "op",
             "points", "median", "p90");
  for (const FitErrorFigure& e : fit.errors)
    fmt::print("  {:<20} {:<6} {:<18} {:>6} {:>7.1f}% {:>7.1f}%\n", e.method, e.dtype, e.op,
               e.points, e.median * 100, e.p90 * 100);
  for (const std::string& note : record.notes) fmt::print("  note: {}\n", note);
  return 0;
}

}  // namespace gs
