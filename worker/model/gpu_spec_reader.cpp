// Reads GPU spec files: the built-in GPUs (worker/model/gpus/*.toml, embedded at build time) and
// the ones `gemmsweep fit` writes. Every problem is one JobError naming the file, line and key.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "jobs/job_error.hpp"
#include "jobs/toml_context.hpp"
#include "worker/model/gpu_spec_document.hpp"

namespace gs {
namespace {

constexpr double kHuge = std::numeric_limits<double>::max();
constexpr int kFormatVersion = 1;

const toml::node& required(const TomlContext& ctx, const toml::table& t, std::string_view prefix,
                           std::string_view key) {
  const toml::node* n = t.get(key);
  if (!n) ctx.fail(&t, TomlContext::dotted(prefix, key), "is missing; it is required");
  return *n;
}

std::string get_string(const TomlContext& ctx, const toml::table& t, std::string_view prefix,
                       std::string_view key, bool must) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (must) required(ctx, t, prefix, key);
    return {};
  }
  const auto v = n->value<std::string>();
  if (!v) ctx.fail(n, TomlContext::dotted(prefix, key), ctx.show(*n) + " is not a string");
  return *v;
}

double required_double(const TomlContext& ctx, const toml::table& t, std::string_view prefix,
                       std::string_view key, double min_exclusive, double max_inclusive) {
  required(ctx, t, prefix, key);
  return ctx.get_double(t, prefix, key, 0, min_exclusive, max_inclusive);
}

// [terms] may hold one sub-table per dtype; [terms.<dtype>] holds only terms.
ModelTerms read_terms(const TomlContext& ctx, const toml::table& t, const std::string& prefix,
                      bool with_dtypes) {
  ModelTerms terms;
  if (with_dtypes)
    ctx.check_keys(
        t, prefix,
        {"compute_efficiency", "bandwidth_efficiency", "tile_overhead_s", "launch_s",
         "memory_overlap_per_byte", "alignment", "fp16", "bf16", "fp32", "tf32", "fp8", "fp64"});
  else
    ctx.check_keys(t, prefix,
                   {"compute_efficiency", "bandwidth_efficiency", "tile_overhead_s", "launch_s",
                    "memory_overlap_per_byte", "alignment"});
  terms.compute_efficiency = required_double(ctx, t, prefix, "compute_efficiency", 0, 1);
  terms.bandwidth_efficiency = required_double(ctx, t, prefix, "bandwidth_efficiency", 0, 1);
  terms.tile_overhead_s = required_double(ctx, t, prefix, "tile_overhead_s", 0, 1e-3);
  terms.launch_s = required_double(ctx, t, prefix, "launch_s", 0, 1e-3);
  // Optional (0: the memory time is added whole), at least 0.
  terms.memory_overlap_per_byte = ctx.get_double(t, prefix, "memory_overlap_per_byte", 0, -1, 1);
  if (terms.memory_overlap_per_byte < 0)
    ctx.fail(t.get("memory_overlap_per_byte"),
             TomlContext::dotted(prefix, "memory_overlap_per_byte"),
             fmt::format("{} is not allowed; allowed: a number from 0 to 1",
                         terms.memory_overlap_per_byte));
  const std::string key = TomlContext::dotted(prefix, "alignment");
  const toml::node& node = required(ctx, t, prefix, "alignment");
  const toml::array* classes = node.as_array();
  if (!classes || classes->size() != terms.alignment.size())
    ctx.fail(&node, key,
             "must be an array of 4 tables {min_bytes, compute, memory}, for 32, 16, 4 and 1 "
             "bytes");
  for (std::size_t i = 0; i < terms.alignment.size(); ++i) {
    const toml::node* entry = classes->get(i);
    const toml::table* c = entry ? entry->as_table() : nullptr;
    const std::string at = fmt::format("{}[{}]", key, i);
    if (!c) ctx.fail(entry, at, "must be a table {min_bytes, compute, memory}");
    ctx.check_keys(*c, at, {"min_bytes", "compute", "memory"});
    AlignmentClass& a = terms.alignment[i];
    const int expected = a.min_bytes;  // the classes are the model's, not data (docs/model.md)
    required(ctx, *c, at, "min_bytes");
    a.min_bytes = ctx.get_int(*c, at, "min_bytes", 0, expected, expected);
    a.compute = required_double(ctx, *c, at, "compute", 0, 1);
    a.memory = required_double(ctx, *c, at, "memory", 0, 1);
  }
  return terms;
}

FitRecord read_fit(const TomlContext& ctx, const toml::table& t) {
  ctx.check_keys(t, "fit",
                 {"source", "job_fingerprint", "base", "date", "loss", "rows_used", "folds",
                  "notes", "error"});
  FitRecord f;
  f.source = get_string(ctx, t, "fit", "source", true);
  f.job_fingerprint = get_string(ctx, t, "fit", "job_fingerprint", false);
  f.base = get_string(ctx, t, "fit", "base", false);
  f.date = get_string(ctx, t, "fit", "date", false);
  f.loss = get_string(ctx, t, "fit", "loss", false);
  f.rows_used = ctx.get_int(t, "fit", "rows_used", 0, 0, std::numeric_limits<int>::max());
  f.folds = ctx.get_int(t, "fit", "folds", 0, 0, 1000);
  if (const toml::array* notes = t["notes"].as_array())
    for (const toml::node& n : *notes)
      if (const auto s = n.value<std::string>()) f.notes.push_back(*s);
  if (const toml::node* errors = t.get("error")) {
    const toml::array* list = errors->as_array();
    if (!list) ctx.fail(errors, "fit.error", "must be an array of tables ([[fit.error]])");
    for (const toml::node& n : *list) {
      const toml::table* e = n.as_table();
      if (!e) ctx.fail(&n, "fit.error", "must be an array of tables ([[fit.error]])");
      ctx.check_keys(*e, "fit.error", {"method", "op", "dtype", "points", "median", "p90"});
      FitErrorFigure fig;
      fig.method =
          ctx.get_choice(*e, "fit.error", "method", "kfold", {"kfold", "leave_one_class_out"});
      fig.op = get_string(ctx, *e, "fit.error", "op", true);
      fig.dtype = get_string(ctx, *e, "fit.error", "dtype", true);
      fig.points = ctx.get_int(*e, "fit.error", "points", 0, 0, std::numeric_limits<int>::max());
      fig.median = ctx.get_double(*e, "fit.error", "median", 0, -1, kHuge);
      fig.p90 = ctx.get_double(*e, "fit.error", "p90", 0, -1, kHuge);
      f.errors.push_back(fig);
    }
  }
  return f;
}

void read_peaks(const TomlContext& ctx, const toml::table& t, GpuSpec& g) {
  ctx.check_keys(t, "peak_tflops", {"fp16", "bf16", "tf32", "fp32", "fp64", "fp8"});
  g.peak_tflops = required_double(ctx, t, "peak_tflops", "fp16", 0, kHuge);
  g.has_bf16 = t.contains("bf16");
  if (g.has_bf16 && ctx.get_double(t, "peak_tflops", "bf16", 0, 0, kHuge) != g.peak_tflops)
    ctx.fail(t.get("bf16"), "peak_tflops.bf16",
             fmt::format("{} is not allowed; allowed: {} (fp16's: the model has one tensor-core "
                         "peak for both) or no key (no bf16)",
                         ctx.show(*t.get("bf16")), g.peak_tflops));
  g.fp32_tflops = required_double(ctx, t, "peak_tflops", "fp32", 0, kHuge);
  g.fp64_tflops = required_double(ctx, t, "peak_tflops", "fp64", 0, kHuge);
  g.tf32_tflops = ctx.get_double(t, "peak_tflops", "tf32", 0, 0, kHuge);
  g.fp8_tflops = ctx.get_double(t, "peak_tflops", "fp8", 0, 0, kHuge);
}

// tiles = [{m, n, efficiency, ctas_per_sm}, ...]: the kernel menu; absent = default_tile_menu().
std::vector<TileShape> read_tiles(const TomlContext& ctx, const toml::node& node) {
  const toml::array* list = node.as_array();
  if (!list || list->empty())
    ctx.fail(&node, "tiles", "must be a non-empty array of tables {m, n, efficiency, ctas_per_sm}");
  std::vector<TileShape> tiles;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::node* entry = list->get(i);
    const toml::table* t = entry->as_table();
    const std::string at = fmt::format("tiles[{}]", i);
    if (!t) ctx.fail(entry, at, "must be a table {m, n, efficiency, ctas_per_sm}");
    ctx.check_keys(*t, at, {"m", "n", "efficiency", "ctas_per_sm"});
    TileShape tile;
    required(ctx, *t, at, "m");
    tile.m = ctx.get_int(*t, at, "m", 0, 1, 4096);
    required(ctx, *t, at, "n");
    tile.n = ctx.get_int(*t, at, "n", 0, 1, 4096);
    tile.efficiency = required_double(ctx, *t, at, "efficiency", 0, 1);
    required(ctx, *t, at, "ctas_per_sm");
    tile.ctas_per_sm = ctx.get_int(*t, at, "ctas_per_sm", 0, 1, 64);
    tiles.push_back(tile);
  }
  return tiles;
}

// [clock_mhz]: boost (the clock behind the peaks) and, where measured, sustained (at most boost:
// the peaks are the ceiling; docs/model.md, "Clocks").
void read_clocks(const TomlContext& ctx, const toml::table& t, GpuSpec& g) {
  ctx.check_keys(t, "clock_mhz", {"boost", "sustained"});
  g.boost_clock_mhz = required_double(ctx, t, "clock_mhz", "boost", 0, 100000);
  if (t.contains("sustained"))
    g.sustained_clock_mhz = required_double(ctx, t, "clock_mhz", "sustained", 0, g.boost_clock_mhz);
}

}  // namespace

GpuSpecDocument parse_gpu_spec(std::string_view text, const std::string& source) {
  const TomlContext ctx(source);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw JobError(source, static_cast<long>(e.source().begin.line), "",
                   std::string(e.description()));
  }
  ctx.check_keys(root, "",
                 {"format", "name", "sm_count", "memory_gib", "bandwidth_tbs", "tiles", "stream_k",
                  "peak_tflops", "clock_mhz", "terms", "fit"});
  required(ctx, root, "", "format");
  ctx.get_int(root, "", "format", 0, kFormatVersion, kFormatVersion);
  GpuSpecDocument doc;
  GpuSpec& g = doc.gpu;
  g.name = get_string(ctx, root, "", "name", true);
  if (g.name.empty()) ctx.fail(root.get("name"), "name", "\"\" is not allowed; allowed: a name");
  required(ctx, root, "", "sm_count");
  g.sm_count = ctx.get_int(root, "", "sm_count", 0, 1, 100000);
  g.memory_gib = required_double(ctx, root, "", "memory_gib", 0, kHuge);
  g.bandwidth_tbs = required_double(ctx, root, "", "bandwidth_tbs", 0, kHuge);
  if (const toml::node* tiles = root.get("tiles")) g.tiles = read_tiles(ctx, *tiles);
  g.stream_k = ctx.get_bool(root, "", "stream_k", false);
  const toml::table* peaks = required(ctx, root, "", "peak_tflops").as_table();
  if (!peaks) ctx.fail(root.get("peak_tflops"), "peak_tflops", "must be a table");
  read_peaks(ctx, *peaks, g);
  if (const toml::node* clocks = root.get("clock_mhz")) {
    if (!clocks->as_table()) ctx.fail(clocks, "clock_mhz", "must be a table");
    read_clocks(ctx, *clocks->as_table(), g);
  }
  const toml::table* terms = required(ctx, root, "", "terms").as_table();
  if (!terms) ctx.fail(root.get("terms"), "terms", "must be a table");
  g.terms = read_terms(ctx, *terms, "terms", true);
  for (DType d : kAllDTypes) {
    const toml::node* n = terms->get(to_string(d));
    if (!n) continue;
    const std::string prefix = "terms." + std::string(to_string(d));
    if (!n->as_table()) ctx.fail(n, prefix, "must be a table");
    g.dtype_terms[d] = read_terms(ctx, *n->as_table(), prefix, false);
  }
  if (const toml::node* fit = root.get("fit")) {
    if (!fit->as_table()) ctx.fail(fit, "fit", "must be a table");
    doc.fit = read_fit(ctx, *fit->as_table());
  }
  return doc;
}

GpuSpecDocument read_gpu_spec_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec))
    throw JobError(path.string(), 0, "", "cannot open the GPU spec file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_gpu_spec(text.str(), path.string());
}

}  // namespace gs
