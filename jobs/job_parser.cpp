#include "jobs/job_parser.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "jobs/axis_parser.hpp"
#include "jobs/collective_message.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_sections.hpp"
#include "jobs/toml_context.hpp"
#include "jobs/utf8_text.hpp"

namespace gs {
namespace {

constexpr std::int64_t kMaxModelValue = std::int64_t{1} << 24;
constexpr std::int64_t kMaxShapeValue = std::int64_t{1} << 24;
constexpr std::int64_t kMaxGroupSize = 65536;

bool has_collective(const JobSpec& spec) {
  for (Op op : spec.ops)
    if (is_collective(op)) return true;
  return false;
}

void parse_ops(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("ops");
  if (!node) ctx.fail(nullptr, "ops", "missing; give a list such as ops = [\"attention_score\"]");
  std::vector<const toml::node*> items;
  if (node->is_string()) {
    items.push_back(node);
  } else if (const auto* arr = node->as_array()) {
    if (arr->empty()) ctx.fail(node, "ops", "empty list; give at least one op");
    for (const auto& item : *arr) items.push_back(&item);
  } else {
    ctx.fail(node, "ops", fmt::format("{} is not a list of op names", ctx.show(*node)));
  }
  std::string allowed;
  for (Op op : kAllOps) allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(op));
  for (Op op : kCollectiveOps) allowed += ", " + std::string(to_string(op));
  for (const toml::node* item : items) {
    const auto name = item->value<std::string>();
    if (!name)
      ctx.fail(item, "ops",
               fmt::format("{} is not an op name; allowed: {}", ctx.show(*item), allowed));
    const auto op = parse_op(*name);
    if (!op) ctx.fail(item, "ops", fmt::format("unknown op \"{}\"; allowed: {}", *name, allowed));
    for (Op seen : spec.ops)
      if (seen == *op) ctx.fail(item, "ops", fmt::format("op \"{}\" is listed twice", *name));
    spec.ops.push_back(*op);
  }
  for (Op op : spec.ops)
    if (is_raw(op) && has_collective(spec))
      ctx.fail(node, "ops",
               "cannot mix raw ops (gemm, bmm) with collectives in one job; use two job files");
  for (Op op : spec.ops)
    if (is_raw(op) != is_raw(spec.ops.front()))
      ctx.fail(node, "ops",
               "cannot mix raw ops (gemm, bmm) with transformer ops in one job; use two job files");
  if (spec.ops.size() > 1 && spec.raw())
    ctx.fail(node, "ops", "give one of gemm or bmm per job file");
}

void parse_model(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("model");
  if (!node) ctx.fail(nullptr, "model", "missing table [model]; transformer ops need it");
  const auto* tbl = node->as_table();
  if (!tbl) ctx.fail(node, "model", "must be a table [model]");
  ctx.check_keys(*tbl, "model",
                 {"heads", "head_dim", "hidden_size", "microbatch", "seq_length", "tensor_parallel",
                  "vocab_size"});
  ModelAxes& m = spec.model;
  for (Axis* a : {&m.heads, &m.head_dim, &m.hidden_size, &m.microbatch, &m.seq_length,
                  &m.tensor_parallel, &m.vocab_size})
    *a = parse_axis(ctx, *tbl, "model", a->name, kMaxModelValue);

  const int given = int{m.heads.given()} + int{m.head_dim.given()} + int{m.hidden_size.given()};
  if (given != 2)
    ctx.fail(node, "model",
             fmt::format("{} of heads, head_dim, hidden_size given; give exactly two (the third is "
                         "derived)",
                         given == 3 ? "all three" : std::to_string(given)));
  if (!m.seq_length.given())
    ctx.fail(node, "model.seq_length", "missing; give the sequence length");
  bool logit = false;
  for (Op op : spec.ops)
    logit = logit || op == Op::logit || forward_of(op) == Op::logit_vocab_parallel;
  if (logit && !m.vocab_size.given())
    ctx.fail(node, "model.vocab_size", "missing; the logit op needs it");
  if (!logit && m.vocab_size.given())
    ctx.fail(tbl->get("vocab_size"), "model.vocab_size",
             "only the logit ops use it; add \"logit\" (or \"logit_vocab_parallel\") to ops or "
             "remove it");
}

void parse_shape(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("shape");
  if (!node) ctx.fail(nullptr, "shape", "missing table [shape] with m, n, k; gemm and bmm need it");
  const auto* tbl = node->as_table();
  if (!tbl) ctx.fail(node, "shape", "must be a table [shape]");
  const bool bmm = spec.ops.front() == Op::bmm;
  if (bmm)
    ctx.check_keys(*tbl, "shape", {"batch", "m", "n", "k"});
  else
    ctx.check_keys(*tbl, "shape", {"m", "n", "k"});
  ShapeAxes& s = spec.shape;
  for (Axis* a : {&s.batch, &s.m, &s.n, &s.k}) {
    *a = parse_axis(ctx, *tbl, "shape", a->name, kMaxShapeValue);
    if (!a->given() && a != &s.batch)
      ctx.fail(node, "shape." + a->name, "missing; gemm and bmm need m, n and k");
  }
}

// [comm]: a collective-only study with its own message sizes and group sizes.
void parse_comm(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("comm");
  const auto* tbl = node->as_table();
  if (!tbl) ctx.fail(node, "comm", "must be a table [comm]");
  for (Op op : spec.ops)
    if (!is_collective(op))
      ctx.fail(node, "comm",
               fmt::format("[comm] is for jobs of collectives only, and \"{}\" is a GEMM; a model "
                           "job's collectives derive their message from [model] instead",
                           to_string(op)));
  if (root.get("model"))
    ctx.fail(root.get("model"), "model",
             "give [comm] (bytes, group_size) or [model] (derived messages), not both");
  if (root.get("shape"))
    ctx.fail(root.get("shape"), "shape", "[shape] is for gemm and bmm; a [comm] job has none");
  ctx.check_keys(*tbl, "comm", {"bytes", "group_size"});
  CommAxes& c = spec.comm;
  c.bytes = parse_axis(ctx, *tbl, "comm", c.bytes.name, kMaxMessageBytes);
  c.group_size = parse_axis(ctx, *tbl, "comm", c.group_size.name, kMaxGroupSize);
  if (!c.bytes.given())
    ctx.fail(
        node, "comm.bytes",
        "missing; give message sizes in bytes, e.g. bytes = { start = 1024, stop = 1073741824, "
        "factor = 4 }");
  if (!c.group_size.given())
    ctx.fail(node, "comm.group_size",
             "missing; give ranks per collective, e.g. group_size = [2, 4]");
  for (std::int64_t g : c.group_size.values)
    if (g < 2)
      ctx.fail(tbl->get("group_size"), "comm.group_size",
               fmt::format("{} is too small; allowed: 2 or more ranks per collective", g));
  for (DType d : spec.dtypes)
    if (!is_collective_dtype(d))
      ctx.fail(root.get("dtype"), "dtype",
               fmt::format("\"{}\" is not a dtype collectives move; allowed: {}", to_string(d),
                           kCollectiveDTypes));
}

}  // namespace

void parse_job_name(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* name = root.get("name");
  if (!name) ctx.fail(nullptr, "name", "missing; give the job a name, e.g. name = \"my-sweep\"");
  const auto name_value = name->value<std::string>();
  // Counted in characters (UTF-8 lead bytes), and kept to one printable line: the name heads
  // every progress line, report and chart title.
  const std::size_t characters = name_value ? utf8_length(*name_value) : 0;
  bool printable = true, blank = true;
  if (name_value)
    for (const char c : *name_value) {
      const auto u = static_cast<unsigned char>(c);
      printable = printable && u >= 0x20 && u != 0x7f;
      blank = blank && c == ' ';
    }
  if (!name_value || blank || characters > 200 || !printable)
    ctx.fail(name, "name",
             fmt::format("{} is not allowed; give a string of 1 to 200 characters, not all "
                         "spaces, without control characters (tab, newline)",
                         ctx.show(*name)));
  spec.name = *name_value;
}

void parse_job_dtypes(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("dtype");
  const std::string allowed = "fp16, bf16, fp32, tf32, fp8, fp64";
  if (!node) {
    spec.dtypes = {DType::fp16};
    return;
  }
  std::vector<const toml::node*> items;
  if (const auto* arr = node->as_array()) {
    if (arr->empty()) ctx.fail(node, "dtype", "empty list; allowed: " + allowed);
    for (const auto& item : *arr) items.push_back(&item);
  } else {
    items.push_back(node);
  }
  for (const toml::node* item : items) {
    const auto name = item->value<std::string>();
    if (!name)
      ctx.fail(item, "dtype",
               fmt::format("{} is not a dtype name; allowed: {}", ctx.show(*item), allowed));
    const auto d = parse_dtype(*name);
    if (!d)
      ctx.fail(item, "dtype", fmt::format("unknown dtype \"{}\"; allowed: {}", *name, allowed));
    for (DType seen : spec.dtypes)
      if (seen == *d) ctx.fail(item, "dtype", fmt::format("dtype \"{}\" is listed twice", *name));
    spec.dtypes.push_back(*d);
  }
}

void parse_job_timing(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("timing");
  if (!node) return;
  const auto* tbl = node->as_table();
  if (!tbl) ctx.fail(node, "timing", "must be a table [timing]");
  ctx.check_keys(*tbl, "timing",
                 {"warmup", "min_samples", "max_samples", "max_rel_ci", "max_seconds_per_point"});
  TimingSettings& t = spec.timing;
  t.warmup = ctx.get_int(*tbl, "timing", "warmup", t.warmup, 0, 100000);
  t.min_samples = ctx.get_int(*tbl, "timing", "min_samples", t.min_samples, 1, 1000000);
  t.max_samples = ctx.get_int(*tbl, "timing", "max_samples", t.max_samples, 1, 1000000);
  t.max_rel_ci = ctx.get_double(*tbl, "timing", "max_rel_ci", t.max_rel_ci, 0.0, 1.0);
  t.max_seconds_per_point = ctx.get_double(*tbl, "timing", "max_seconds_per_point",
                                           t.max_seconds_per_point, 0.0, 86400.0);
  if (t.max_samples < t.min_samples)
    ctx.fail(tbl->get("max_samples"), "timing.max_samples",
             fmt::format("{} is less than min_samples {}; allowed: max_samples >= min_samples",
                         t.max_samples, t.min_samples));
}

void parse_job_run(const TomlContext& ctx, const toml::table& root, JobSpec& spec) {
  const toml::node* node = root.get("run");
  if (!node) return;
  const auto* tbl = node->as_table();
  if (!tbl) ctx.fail(node, "run", "must be a table [run]");
  ctx.check_keys(*tbl, "run", {"backend", "gpu", "order", "autotune"});
  RunSettings& r = spec.run;
  r.backend = ctx.get_choice(*tbl, "run", "backend", r.backend, {"auto", "cuda", "cpu", "model"});
  r.gpu = ctx.get_choice(*tbl, "run", "gpu", r.gpu, {"V100", "A100", "H100", "H200", "MI250X"});
  r.order = ctx.get_choice(*tbl, "run", "order", r.order, {"cost", "shuffle", "grid"});
  r.autotune = ctx.get_bool(*tbl, "run", "autotune", r.autotune);
}

JobSpec parse_job_text(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    throw JobError(path, static_cast<long>(e.source().begin.line), "", "not valid TOML: " + what);
  }
  TomlContext ctx{path};
  JobSpec spec;
  spec.path = path;
  spec.text = std::string(text);
  if (const toml::node* advise = root.get("advise"))
    ctx.fail(advise, "advise",
             "an [advise] table makes this an advise job; run it with gemmsweep advise (see "
             "docs/advise.md)");
  ctx.check_keys(root, "", {"name", "ops", "dtype", "model", "shape", "timing", "run", "comm"});

  parse_job_name(ctx, root, spec);

  parse_ops(ctx, root, spec);
  parse_job_dtypes(ctx, root, spec);
  if (root.get("comm")) {
    parse_comm(ctx, root, spec);
  } else if (spec.raw()) {
    if (root.get("model"))
      ctx.fail(root.get("model"), "model",
               "gemm and bmm take their shape from [shape], not [model]");
    parse_shape(ctx, root, spec);
  } else {
    if (root.get("shape"))
      ctx.fail(root.get("shape"), "shape",
               "transformer ops take their shape from [model]; [shape] is for gemm and bmm");
    if (!root.get("model") && has_collective(spec))
      ctx.fail(nullptr, "comm",
               "missing; collectives need [comm] (bytes, group_size) or [model] (the message is "
               "derived from microbatch, seq_length, hidden_size among tensor_parallel ranks)");
    parse_model(ctx, root, spec);
    if (has_collective(spec) && !spec.model.tensor_parallel.given())
      ctx.fail(root.get("model"), "model.tensor_parallel",
               "missing; a model job's collectives run among tensor_parallel ranks (give 2 or "
               "more)");
  }
  parse_job_timing(ctx, root, spec);
  parse_job_run(ctx, root, spec);

  const std::uint64_t points = grid_point_count(spec);
  if (points > kMaxGridPoints)
    ctx.fail(
        nullptr,
        spec.comm_job() ? "comm"
        : spec.raw()    ? "shape"
                        : "model",
        fmt::format("the grid has {} points; allowed: at most {} (split the job)",
                    points == UINT64_MAX ? std::string("more than 1.8e19") : std::to_string(points),
                    kMaxGridPoints));
  // Every rank holds every task (about 170 bytes each; docs/performance.md), so the cap is on
  // tasks: several ops over a large grid are refused here rather than exhausting a node's memory.
  const std::uint64_t tasks = points * spec.ops.size();
  if (tasks > kMaxGridPoints)
    ctx.fail(root.get("ops"), "ops",
             fmt::format("the grid has {} points x {} ops = {} tasks; allowed: at most {} tasks "
                         "(split the job)",
                         points, spec.ops.size(), tasks, kMaxGridPoints));
  return spec;
}

std::string read_job_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw JobError(path, 0, "", "is a directory; allowed: a TOML job file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw JobError(path, 0, "", "cannot open the job file (does it exist and is it readable?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw JobError(path, 0, "", "cannot read the job file");
  std::string text = ss.str();
  if (text.size() > (1u << 20))
    throw JobError(path, 0, "", "the job file is larger than 1 MiB; allowed: a TOML job file");
  return text;
}

JobSpec parse_job_file(const std::string& path) {
  return parse_job_text(read_job_text(path), path);
}

}  // namespace gs
