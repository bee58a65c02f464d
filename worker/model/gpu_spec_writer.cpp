// Writes GPU spec files. Numbers are written in their shortest exact form ({} of fmt), so a
// spec read back predicts bit for bit what the one written did.
#include <fmt/format.h>

#include "worker/model/gpu_spec_document.hpp"

namespace gs {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\')
      out += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

// fmt's shortest round-trip form; "3" is a TOML integer, which the reader takes as a number.
std::string number(double v) { return fmt::format("{}", v); }

void write_terms(std::string& out, const ModelTerms& t) {
  out += fmt::format("compute_efficiency = {}\n", number(t.compute_efficiency));
  out += fmt::format("bandwidth_efficiency = {}\n", number(t.bandwidth_efficiency));
  out += fmt::format("tile_overhead_s = {}\n", number(t.tile_overhead_s));
  out += fmt::format("launch_s = {}\n", number(t.launch_s));
  out += fmt::format("memory_overlap_per_byte = {}\n", number(t.memory_overlap_per_byte));
  out += "alignment = [\n";
  for (const AlignmentClass& a : t.alignment)
    out += fmt::format("  {{ min_bytes = {}, compute = {}, memory = {} }},\n", a.min_bytes,
                       number(a.compute), number(a.memory));
  out += "]\n";
}

void write_fit(std::string& out, const FitRecord& f) {
  out +=
      "\n# How the terms above were fitted, and their measured error (|predicted/measured - 1|\n"
      "# of held-out rows; docs/model.md, \"gemmsweep fit\").\n[fit]\n";
  out += fmt::format("source = {}\n", toml_string(f.source));
  out += fmt::format("job_fingerprint = {}\n", toml_string(f.job_fingerprint));
  out += fmt::format("base = {}\n", toml_string(f.base));
  out += fmt::format("date = {}\n", toml_string(f.date));
  out += fmt::format("loss = {}\n", toml_string(f.loss));
  out += fmt::format("rows_used = {}\n", f.rows_used);
  out += fmt::format("folds = {}\n", f.folds);
  out += "notes = [";
  for (std::size_t i = 0; i < f.notes.size(); ++i)
    out += fmt::format("{}\n  {}", i ? "," : "", toml_string(f.notes[i]));
  out += f.notes.empty() ? "]\n" : ",\n]\n";
  for (const FitErrorFigure& e : f.errors) {
    out += "\n[[fit.error]]\n";
    out += fmt::format("method = {}\nop = {}\ndtype = {}\npoints = {}\n", toml_string(e.method),
                       toml_string(e.op), toml_string(e.dtype), e.points);
    out += fmt::format("median = {}\np90 = {}\n", number(e.median), number(e.p90));
  }
}

}  // namespace

std::string format_gpu_spec(const GpuSpecDocument& doc) {
  const GpuSpec& g = doc.gpu;
  std::string out =
      "# gemmsweep GPU spec (docs/model.md, \"GPU spec files\"): datasheet figures and the\n"
      "# analytic model's terms. Use it with --gpu-spec FILE.\n";
  out += "format = 1\n";
  out += fmt::format("name = {}\n", toml_string(g.name));
  out += fmt::format("sm_count = {}\n", g.sm_count);
  out += fmt::format("memory_gib = {}\n", number(g.memory_gib));
  out += fmt::format("bandwidth_tbs = {}\n", number(g.bandwidth_tbs));
  if (g.tiles != default_tile_menu()) {
    out += "# The kernels' output tiles the model picks from.\ntiles = [\n";
    for (const TileShape& t : g.tiles)
      out += fmt::format("  {{ m = {}, n = {}, efficiency = {}, ctas_per_sm = {} }},\n", t.m, t.n,
                         number(t.efficiency), t.ctas_per_sm);
    out += "]\n";
  }
  if (g.stream_k)
    out += "# A partial last wave may be spread over every SM (stream-K).\nstream_k = true\n";
  out += "\n# Dense TFLOP/s per dtype; a missing dtype is not supported by the hardware.\n";
  out += "[peak_tflops]\n";
  out += fmt::format("fp16 = {}\n", number(g.peak_tflops));
  if (g.has_bf16) out += fmt::format("bf16 = {}\n", number(g.peak_tflops));
  if (g.tf32_tflops > 0) out += fmt::format("tf32 = {}\n", number(g.tf32_tflops));
  out += fmt::format("fp32 = {}\n", number(g.fp32_tflops));
  out += fmt::format("fp64 = {}\n", number(g.fp64_tflops));
  if (g.fp8_tflops > 0) out += fmt::format("fp8 = {}\n", number(g.fp8_tflops));
  if (g.boost_clock_mhz > 0) {
    out += "\n# The SM clock behind the peaks and, where measured, the one sustained under load.\n";
    out += fmt::format("[clock_mhz]\nboost = {}\n", number(g.boost_clock_mhz));
    if (g.sustained_clock_mhz > 0)
      out += fmt::format("sustained = {}\n", number(g.sustained_clock_mhz));
  }
  out += "\n# The model's terms for every dtype without a [terms.<dtype>] table of its own.\n";
  out += "[terms]\n";
  write_terms(out, g.terms);
  for (const auto& [dtype, terms] : g.dtype_terms) {
    out += fmt::format("\n[terms.{}]\n", to_string(dtype));
    write_terms(out, terms);
  }
  if (doc.fit) write_fit(out, *doc.fit);
  return out;
}

}  // namespace gs
