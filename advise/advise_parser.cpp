#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>

#include "advise/advise_job.hpp"
#include "jobs/axis_parser.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"
#include "jobs/job_sections.hpp"
#include "jobs/toml_context.hpp"

namespace gs {
namespace {

constexpr std::int64_t kMaxShapeValue = std::int64_t{1} << 24;
constexpr const char* kTable = "advise";

std::string listed(const std::vector<std::int64_t>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < 8; ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  if (values.size() > 8) out += fmt::format(", ... ({} values)", values.size());
  return out;
}

void parse_budget(const TomlContext& ctx, const toml::table& advise, AdviseSpec& spec) {
  const toml::node* node = advise.get("params");
  if (!node)
    ctx.fail(nullptr, "advise.params",
             "missing; give the parameter budget, e.g. params = { target = 2.7e9, tolerance = "
             "0.05 }");
  const auto* tbl = node->as_table();
  if (!tbl)
    ctx.fail(node, "advise.params",
             fmt::format("{} is not a table; allowed: {{ target = 2.7e9, tolerance = 0.05 }}",
                         ctx.show(*node)));
  ctx.check_keys(*tbl, "advise.params", {"target", "tolerance"});
  if (!tbl->get("target")) ctx.fail(node, "advise.params.target", "missing; give a count");
  spec.params.target = ctx.get_double(*tbl, "advise.params", "target", 0, 0, 1e15);
  // A tolerance of 0 is a window no count can fall into.
  spec.params.tolerance =
      ctx.get_double(*tbl, "advise.params", "tolerance", spec.params.tolerance, 0, 0.9);
}

void parse_width_bounds(const TomlContext& ctx, const toml::table& advise, AdviseSpec& spec) {
  const toml::node* node = advise.get("width_per_layer");
  if (!node) return;
  const auto* tbl = node->as_table();
  if (!tbl)
    ctx.fail(node, "advise.width_per_layer",
             fmt::format("{} is not a table; allowed: {{ min = 64, max = 128 }} (hidden_size / "
                         "layers)",
                         ctx.show(*node)));
  ctx.check_keys(*tbl, "advise.width_per_layer", {"min", "max"});
  spec.min_width_per_layer = ctx.get_double(*tbl, "advise.width_per_layer", "min", 0, 0, 1e9);
  spec.max_width_per_layer = ctx.get_double(*tbl, "advise.width_per_layer", "max", 0, 0, 1e9);
  if (spec.max_width_per_layer > 0 && spec.max_width_per_layer < spec.min_width_per_layer)
    ctx.fail(tbl->get("max"), "advise.width_per_layer.max",
             fmt::format("{} is less than min {}; allowed: max >= min", spec.max_width_per_layer,
                         spec.min_width_per_layer));
}

// A baseline value must be one the axis takes: the baseline is then one of the candidates.
std::int64_t baseline_value(const TomlContext& ctx, const toml::table& tbl, const Axis& axis,
                            std::int64_t fallback) {
  const std::string key = "advise.baseline." + axis.name;
  const toml::node* node = tbl.get(axis.name);
  if (!node) return fallback;
  const auto* i = node->as_integer();
  if (!i || i->get() <= 0)
    ctx.fail(node, key, fmt::format("{} is not a positive integer", ctx.show(*node)));
  const std::vector<std::int64_t>& values =
      axis.given() ? axis.values : std::vector<std::int64_t>{1};
  if (std::find(values.begin(), values.end(), i->get()) == values.end())
    ctx.fail(node, key,
             fmt::format("{} is outside the axes; allowed: a value of advise.{} ({})", i->get(),
                         axis.name, listed(values)));
  return i->get();
}

void parse_baseline(const TomlContext& ctx, const toml::table& advise, const JobSpec& job,
                    AdviseSpec& spec) {
  const toml::node* node = advise.get("baseline");
  if (!node) return;
  const auto* tbl = node->as_table();
  if (!tbl)
    ctx.fail(node, "advise.baseline",
             fmt::format("{} is not a table; allowed: {{ hidden_size = 2560, heads = 32, layers = "
                         "32, vocab_size = 50257 }}",
                         ctx.show(*node)));
  ctx.check_keys(*tbl, "advise.baseline",
                 {"hidden_size", "heads", "layers", "vocab_size", "ffn_hidden_size", "microbatch",
                  "seq_length", "tensor_parallel", "pad_vocab_to", "dtype"});
  for (const char* key : {"hidden_size", "heads", "layers", "vocab_size"})
    if (!tbl->get(key))
      ctx.fail(node, fmt::format("advise.baseline.{}", key),
               "missing; the baseline names hidden_size, heads, layers and vocab_size");
  BaselineShape b;
  b.hidden_size = baseline_value(ctx, *tbl, spec.hidden_size, 0);
  if (spec.heads.given()) {
    b.heads = baseline_value(ctx, *tbl, spec.heads, 0);
  } else {
    const toml::node* heads = tbl->get("heads");
    const auto* i = heads->as_integer();
    if (!i || i->get() <= 0 || b.hidden_size % i->get() ||
        std::find(spec.head_dim.values.begin(), spec.head_dim.values.end(),
                  b.hidden_size / i->get()) == spec.head_dim.values.end())
      ctx.fail(heads, "advise.baseline.heads",
               fmt::format("{} is outside the axes; allowed: heads whose hidden_size / heads is a "
                           "value of advise.head_dim ({})",
                           ctx.show(*heads), listed(spec.head_dim.values)));
    b.heads = i->get();
  }
  b.layers = baseline_value(ctx, *tbl, spec.layers, 0);
  b.vocab_size = baseline_value(ctx, *tbl, spec.vocab_size, 0);
  if (tbl->get("ffn_hidden_size")) {
    if (!spec.ffn_hidden_size.given())
      ctx.fail(tbl->get("ffn_hidden_size"), "advise.baseline.ffn_hidden_size",
               "is outside the axes; advise.ffn_hidden_size is derived (give it as an axis)");
    b.ffn_hidden_size = baseline_value(ctx, *tbl, spec.ffn_hidden_size, 0);
  }
  if (tbl->get("microbatch")) b.microbatch = baseline_value(ctx, *tbl, spec.microbatch, 1);
  if (tbl->get("seq_length")) b.seq_length = baseline_value(ctx, *tbl, spec.seq_length, 0);
  if (tbl->get("tensor_parallel"))
    b.tensor_parallel = baseline_value(ctx, *tbl, spec.tensor_parallel, 1);
  if (tbl->get("pad_vocab_to")) b.pad_vocab_to = baseline_value(ctx, *tbl, spec.pad_vocab_to, 1);
  if (const toml::node* d = tbl->get("dtype")) {
    const auto name = d->value<std::string>();
    const auto dtype = name ? parse_dtype(*name) : std::nullopt;
    if (!dtype || std::find(job.dtypes.begin(), job.dtypes.end(), *dtype) == job.dtypes.end())
      ctx.fail(d, "advise.baseline.dtype",
               fmt::format("{} is outside the axes; allowed: a dtype of the job's dtype list",
                           ctx.show(*d)));
    b.dtype = *dtype;
  }
  spec.baseline = b;
}

void parse_axes(const TomlContext& ctx, const toml::table& advise, AdviseSpec& spec) {
  const toml::node* node = &advise;
  for (Axis* a : {&spec.hidden_size, &spec.heads, &spec.head_dim, &spec.layers, &spec.vocab_size,
                  &spec.pad_vocab_to, &spec.ffn_hidden_size, &spec.microbatch, &spec.seq_length,
                  &spec.tensor_parallel})
    *a = parse_axis(ctx, advise, kTable, a->name, kMaxShapeValue);
  for (const Axis* a : {&spec.hidden_size, &spec.layers, &spec.vocab_size, &spec.seq_length})
    if (!a->given())
      ctx.fail(node, "advise." + a->name,
               "missing; advise needs hidden_size, heads (or head_dim), layers, vocab_size and "
               "seq_length");
  if (spec.heads.given() == spec.head_dim.given())
    ctx.fail(advise.get(spec.heads.given() ? "head_dim" : "heads"),
             spec.heads.given() ? "advise.head_dim" : "advise.heads",
             spec.heads.given() ? "give heads or head_dim, not both (the other is derived)"
                                : "missing; give heads or head_dim (the other is derived)");
}

void parse_advise_table(const TomlContext& ctx, const toml::table& root, const JobSpec& job,
                        AdviseSpec& spec) {
  const toml::node* node = root.get(kTable);
  const auto* advise = node->as_table();
  if (!advise) ctx.fail(node, kTable, "must be a table [advise]");
  ctx.check_keys(*advise, kTable,
                 {"params",           "hidden_size",         "heads",           "head_dim",
                  "layers",           "vocab_size",          "pad_vocab_to",    "ffn_hidden_size",
                  "microbatch",       "seq_length",          "tensor_parallel", "mlp",
                  "fused_gate_up",    "tied_embeddings",     "recompute",       "width_per_layer",
                  "measure_backward", "measure_collectives", "baseline",        "top"});
  parse_budget(ctx, *advise, spec);
  parse_axes(ctx, *advise, spec);
  spec.mlp = ctx.get_choice(*advise, kTable, "mlp", "gelu", {"gelu", "swiglu"}) == "swiglu"
                 ? MlpKind::swiglu
                 : MlpKind::gelu;
  spec.fused_gate_up = ctx.get_bool(*advise, kTable, "fused_gate_up", false);
  if (spec.fused_gate_up && spec.mlp != MlpKind::swiglu)
    ctx.fail(advise->get("fused_gate_up"), "advise.fused_gate_up",
             "true is not allowed with mlp = \"gelu\"; allowed: with mlp = \"swiglu\" (fuses its "
             "gate and up products)");
  spec.tied_embeddings = ctx.get_bool(*advise, kTable, "tied_embeddings", true);
  const std::string recompute =
      ctx.get_choice(*advise, kTable, "recompute", "none", {"none", "selective", "full"});
  spec.recompute = recompute == "full"        ? Recompute::full
                   : recompute == "selective" ? Recompute::selective
                                              : Recompute::none;
  parse_width_bounds(ctx, *advise, spec);
  spec.measure_backward = ctx.get_bool(*advise, kTable, "measure_backward", true);
  spec.measure_collectives = ctx.get_bool(*advise, kTable, "measure_collectives", false);
  spec.top = ctx.get_int(*advise, kTable, "top", spec.top, 1, 1000);
  parse_baseline(ctx, *advise, job, spec);
}

// Every dropped candidate's reasons, most frequent first, for the "no candidate left" line.
std::string drop_summary(const AdvisePlan& plan) {
  std::vector<std::pair<std::uint64_t, std::string>> reasons;
  for (const auto& [cls, v] : plan.dropped_by_reason) reasons.emplace_back(v.first, v.second);
  std::sort(reasons.rbegin(), reasons.rend());
  std::string out;
  for (std::size_t i = 0; i < reasons.size() && i < 3; ++i)
    out += fmt::format("{}{} x {}", i ? "; " : "", reasons[i].first, reasons[i].second);
  return out;
}

// The field that dropped the most candidates, for the "no candidate left" line to name.
std::string field_of_most_drops(const AdvisePlan& plan) {
  const std::pair<std::uint64_t, std::string>* most = nullptr;
  for (const auto& [cls, v] : plan.dropped_by_reason)
    if (!most || v.first > most->first) most = &v;
  if (!most) return "advise";
  const std::string& reason = most->second;
  const std::pair<const char*, const char*> fields[] = {
      {"outside the budget", "advise.params"},
      {"width_per_layer", "advise.width_per_layer"},
      {"tensor_parallel", "advise.tensor_parallel"},
      {"multiple of heads", "advise.heads"},
      {"multiple of head_dim", "advise.head_dim"}};
  for (const auto& [needle, field] : fields)
    if (reason.find(needle) != std::string::npos) return field;
  return "advise";
}

}  // namespace

bool has_advise_table(std::string_view text) {
  try {
    const toml::table root = toml::parse(text);
    return root.contains(kTable);
  } catch (const toml::parse_error&) {
    return false;
  }
}

AdviseJob parse_advise_job_text(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw JobError(path, static_cast<long>(e.source().begin.line), "",
                   "not valid TOML: " + std::string(e.description()));
  }
  const TomlContext ctx{path};
  AdviseJob job;
  job.spec.path = path;
  job.spec.text = std::string(text);
  ctx.check_keys(root, "", {"name", "dtype", "advise", "timing", "run"});
  parse_job_name(ctx, root, job.spec);
  parse_job_dtypes(ctx, root, job.spec);
  parse_advise_table(ctx, root, job.spec, job.advise);
  parse_job_timing(ctx, root, job.spec);
  parse_job_run(ctx, root, job.spec);

  const std::uint64_t combinations = advise_combinations(job.advise, job.spec.dtypes.size());
  if (combinations > kMaxGridPoints)
    ctx.fail(root.get(kTable), kTable,
             fmt::format("the axes give {} candidates; allowed: at most {} (fix some axes)",
                         combinations == UINT64_MAX ? std::string("more than 1.8e19")
                                                    : std::to_string(combinations),
                         kMaxGridPoints));
  job.plan = plan_advice(job.advise, job.spec.dtypes);
  if (job.plan.candidates.empty())
    ctx.fail(root.get(kTable), field_of_most_drops(job.plan),
             fmt::format("no candidate left: all {} combinations of the axes are dropped ({}); "
                         "allowed: axes and a params window that leave at least one",
                         combinations, drop_summary(job.plan)));
  if (job.advise.baseline && !job.plan.baseline)
    ctx.fail(root.get(kTable)->as_table()->get("baseline"), "advise.baseline",
             fmt::format("is not a candidate: {}; allowed: a shape inside the budget and axes",
                         job.plan.baseline_problem.empty() ? std::string("no such combination")
                                                           : job.plan.baseline_problem));
  for (const DistinctProduct& p : job.plan.products)
    if (std::find(job.spec.ops.begin(), job.spec.ops.end(), p.op) == job.spec.ops.end())
      job.spec.ops.push_back(p.op);
  if (!job.plan.collectives.empty()) job.spec.ops.push_back(Op::all_reduce);
  job.spec.grid_definition = products_definition(job.plan);
  return job;
}

AdviseJob parse_advise_job_file(const std::string& path) {
  return parse_advise_job_text(read_job_text(path), path);
}

}  // namespace gs
