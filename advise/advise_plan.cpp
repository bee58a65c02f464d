#include "advise/advise_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "advise/layer_products.hpp"
#include "advise/model_counts.hpp"
#include "advise/product_key.hpp"
#include "jobs/collective_message.hpp"
#include "jobs/plan_summary.hpp"

namespace gs {
namespace {

const std::vector<std::int64_t> kOne{1};

// An axis's values, or {1} for an axis that defaults to one value (microbatch, t, padding).
const std::vector<std::int64_t>& values_or_one(const Axis& a) {
  return a.given() ? a.values : kOne;
}

std::int64_t round_up(std::int64_t value, std::int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

// The axes in expansion order; ffn_hidden_size contributes one "derived" slot when not given.
struct AxisSet {
  std::vector<const std::vector<std::int64_t>*> axes;
  explicit AxisSet(const AdviseSpec& s) {
    const std::vector<std::int64_t>& ffn =
        s.ffn_hidden_size.given() ? s.ffn_hidden_size.values : kOne;
    axes = {&s.hidden_size.values,
            s.heads.given() ? &s.heads.values : &s.head_dim.values,
            &s.layers.values,
            &s.vocab_size.values,
            &values_or_one(s.pad_vocab_to),
            &ffn,
            &values_or_one(s.microbatch),
            &s.seq_length.values,
            &values_or_one(s.tensor_parallel)};
  }
};

// Fills a candidate from one value of every axis; returns why it is not one, or "".
std::string make_candidate(const AdviseSpec& s, const std::int64_t* v, DType dtype, Candidate& c) {
  c.dtype = dtype;
  c.hidden_size = v[0];
  c.heads = s.heads.given() ? v[1] : 0;
  c.head_dim = s.heads.given() ? 0 : v[1];
  c.layers = v[2];
  c.vocab_size = v[3];
  c.pad_vocab_to = v[4];
  c.padded_vocab = round_up(c.vocab_size, c.pad_vocab_to);
  if (s.ffn_hidden_size.given())
    c.ffn_hidden_size = v[5];
  else if (s.mlp == MlpKind::swiglu)
    c.ffn_hidden_size = round_up((8 * c.hidden_size + 2) / 3, 64);  // 8h/3 up to a multiple of 64
  else
    c.ffn_hidden_size = 4 * c.hidden_size;
  c.microbatch = v[6];
  c.seq_length = v[7];
  c.tensor_parallel = v[8];
  const char* given = s.heads.given() ? "heads" : "head_dim";
  const std::int64_t divisor = s.heads.given() ? c.heads : c.head_dim;
  if (c.hidden_size % divisor)
    return fmt::format("hidden_size {} is not a multiple of {} {}", c.hidden_size, given, divisor);
  (s.heads.given() ? c.head_dim : c.heads) = c.hidden_size / divisor;
  const double width = static_cast<double>(c.hidden_size) / static_cast<double>(c.layers);
  if ((s.min_width_per_layer > 0 && width < s.min_width_per_layer) ||
      (s.max_width_per_layer > 0 && width > s.max_width_per_layer))
    return fmt::format("hidden_size/layers {:.1f} is outside width_per_layer [{}, {}]", width,
                       s.min_width_per_layer, s.max_width_per_layer);
  const double n = total_parameters(c, s);
  if (n < s.params.low() || n > s.params.high())
    return fmt::format("{:.4g} parameters are outside the budget {:.4g} to {:.4g}", n,
                       s.params.low(), s.params.high());
  return {};
}

bool is_baseline(const BaselineShape& b, const AdviseSpec& s, const Candidate& c,
                 const std::vector<DType>& dtypes) {
  auto first = [](const Axis& a) { return a.given() ? a.values.front() : 1; };
  return c.hidden_size == b.hidden_size && c.heads == b.heads && c.layers == b.layers &&
         c.vocab_size == b.vocab_size &&
         c.pad_vocab_to == b.pad_vocab_to.value_or(first(s.pad_vocab_to)) &&
         (!s.ffn_hidden_size.given() ||
          c.ffn_hidden_size == b.ffn_hidden_size.value_or(s.ffn_hidden_size.values.front())) &&
         c.microbatch == b.microbatch.value_or(first(s.microbatch)) &&
         c.seq_length == b.seq_length.value_or(s.seq_length.values.front()) &&
         c.tensor_parallel == b.tensor_parallel.value_or(first(s.tensor_parallel)) &&
         c.dtype == b.dtype.value_or(dtypes.front());
}

}  // namespace

bool measures_backward(const AdviseSpec& spec, const Candidate& c) {
  return spec.measure_backward && c.dtype != DType::fp8;
}

std::uint64_t advise_combinations(const AdviseSpec& spec, std::size_t dtypes) {
  std::uint64_t n = dtypes;
  for (const auto* axis : AxisSet(spec).axes) {
    const std::uint64_t size = axis->size();
    if (size != 0 && n > std::numeric_limits<std::uint64_t>::max() / size)
      return std::numeric_limits<std::uint64_t>::max();
    n *= size;
  }
  return n;
}

AdvisePlan plan_advice(const AdviseSpec& spec, const std::vector<DType>& dtypes) {
  AdvisePlan plan;
  const AxisSet set(spec);
  const std::size_t count = set.axes.size();
  plan.considered = advise_combinations(spec, dtypes.size());
  std::unordered_map<ProductKey, std::size_t, ProductKeyHash> seen;
  std::vector<std::size_t> index(count, 0);
  std::vector<std::int64_t> values(count, 0);
  auto drop = [&plan](std::string reason) {
    ++plan.dropped;
    auto& [n, example] = plan.dropped_by_reason[reason_class(reason)];
    if (n++ == 0) example = std::move(reason);
  };
  for (std::uint64_t id = 0; id < plan.considered; ++id) {
    std::uint64_t rest = id;
    for (std::size_t i = count; i-- > 0;) {
      index[i] = static_cast<std::size_t>(rest % set.axes[i]->size());
      rest /= set.axes[i]->size();
      values[i] = (*set.axes[i])[index[i]];
    }
    Candidate c;
    if (std::string why = make_candidate(spec, values.data(), dtypes[rest], c); !why.empty()) {
      if (spec.baseline && is_baseline(*spec.baseline, spec, c, dtypes))
        plan.baseline_problem = why;
      drop(std::move(why));
      continue;
    }
    auto products = layer_products(c, spec, measures_backward(spec, c));
    if (auto* why = std::get_if<std::string>(&products)) {
      if (spec.baseline && is_baseline(*spec.baseline, spec, c, dtypes))
        plan.baseline_problem = *why;
      drop(std::move(*why));
      continue;
    }
    for (const LayerProduct& p : std::get<std::vector<LayerProduct>>(products)) {
      ++plan.product_uses;
      const auto [it, fresh] = seen.try_emplace(ProductKey{p.shape, c.dtype}, plan.products.size());
      if (fresh) plan.products.push_back({p.op, p.point, p.shape});
    }
    if (spec.measure_collectives && c.tensor_parallel > 1) {
      const Point p = point_of(c);
      const auto same_message = [&p](const Point& q) {
        return q.dtype == p.dtype && q.microbatch == p.microbatch && q.seq_length == p.seq_length &&
               q.hidden_size == p.hidden_size && q.tensor_parallel == p.tensor_parallel;
      };
      if (std::none_of(plan.collectives.begin(), plan.collectives.end(), same_message))
        plan.collectives.push_back(p);
    }
    if (spec.baseline && is_baseline(*spec.baseline, spec, c, dtypes))
      plan.baseline = plan.candidates.size();
    plan.candidates.push_back(c);
  }
  return plan;
}

Grid advise_grid(const AdvisePlan& plan) {
  Grid grid;
  grid.point_count = plan.products.size();
  grid.tasks.reserve(plan.products.size());
  for (std::size_t i = 0; i < plan.products.size(); ++i) {
    const DistinctProduct& p = plan.products[i];
    Task t;
    t.id = task_id(i, p.op);
    t.op = p.op;
    t.point = p.point;
    t.point.id = i;
    t.shape = p.shape;
    grid.tasks.push_back(t);
  }
  // The all-reduces after the point ids of the products, so that adding them keeps those ids.
  for (std::size_t j = 0; j < plan.collectives.size(); ++j) {
    Task t;
    t.point = plan.collectives[j];
    t.point.id = plan.products.size() + j;
    t.id = task_id(t.point.id, Op::all_reduce);
    t.op = Op::all_reduce;
    derive_collective_message(t.point);
    t.shape = GemmShape{0, 0, 0, 0};
    std::string why = collective_skip_reason(t.op, t.point);
    if (why.empty())
      grid.tasks.push_back(t);
    else
      grid.skipped.push_back({t, std::move(why)});
  }
  grid.point_count += plan.collectives.size();
  return grid;
}

std::string products_definition(const AdvisePlan& plan) {
  std::string text = "advise-products-v1\n";
  for (const DistinctProduct& p : plan.products)
    text += fmt::format("{} {} {} {} {} {} {}{}\n", to_string(p.op), to_string(p.point.dtype),
                        p.shape.batch, p.shape.m, p.shape.n, p.shape.k,
                        p.shape.a_transposed ? 'T' : 'N', p.shape.b_transposed ? 'T' : 'N');
  for (const Point& p : plan.collectives)
    text += fmt::format("all_reduce {} {} {} {} {}\n", to_string(p.dtype), p.microbatch,
                        p.seq_length, p.hidden_size, p.tensor_parallel);
  return text;
}

}  // namespace gs
