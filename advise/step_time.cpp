#include "advise/step_time.hpp"

#include <fmt/format.h>

#include "advise/advise_plan.hpp"
#include "advise/layer_products.hpp"

namespace gs {
namespace {

std::string describe_product(Op op, const GemmShape& s, DType dtype) {
  return fmt::format("{} {}x{}x{}x{} {}", to_string(op), s.batch, s.m, s.n, s.k, to_string(dtype));
}

// One all-reduce of the activations b·s·h among the t ranks of the group.
double all_reduce_seconds(const Candidate& c, const TimeSource& source, bool& estimated) {
  const std::int64_t bytes =
      c.microbatch * c.seq_length * c.hidden_size * static_cast<std::int64_t>(input_bytes(c.dtype));
  if (source.times)
    if (auto row = source.times->all_reduce(c.dtype, c.tensor_parallel, bytes)) return *row;
  estimated = true;
  const double t = static_cast<double>(c.tensor_parallel);
  return 2 * (t - 1) / t * static_cast<double>(bytes) / (source.allreduce_bus_gbs * 1e9) +
         source.allreduce_latency_s;
}

}  // namespace

StepEstimate estimate_step(const Candidate& c, const AdviseSpec& spec, const TimeSource& source) {
  StepEstimate e;
  const bool backward = measures_backward(spec, c);
  auto listed = layer_products(c, spec, backward);
  if (auto* why = std::get_if<std::string>(&listed)) {
    e.missing.push_back(*why);
    return e;
  }
  double layer_forward = 0, layer_backward = 0, model_forward = 0, model_backward = 0;
  bool backward_complete = backward, forward_complete = true;
  std::map<Op, double> forward_op_seconds, backward_op_seconds;
  const auto layers = static_cast<double>(c.layers);
  for (const LayerProduct& p : std::get<std::vector<LayerProduct>>(listed)) {
    std::optional<ProductTime> time;
    if (source.times) time = source.times->gemm(ProductKey{p.shape, c.dtype});
    if (!time && source.predict) {
      Task task;
      task.op = p.op;
      task.point = p.point;
      task.shape = p.shape;
      time = ProductTime{source.predict(task), 0, false};
    }
    const bool is_back =
        p.scope == ProductScope::layer_backward || p.scope == ProductScope::model_backward;
    if (!time) {
      if (e.missing.size() < 5) e.missing.push_back(describe_product(p.op, p.shape, c.dtype));
      (is_back ? backward_complete : forward_complete) = false;
      continue;
    }
    e.measured = e.measured && time->measured;
    const double seconds = time->seconds * p.count;
    const bool per_layer =
        p.scope == ProductScope::layer_forward || p.scope == ProductScope::layer_backward;
    const double per_step = per_layer ? seconds * layers : seconds;
    e.spread_s += per_step * time->rel_ci;
    (is_back ? backward_op_seconds : forward_op_seconds)[forward_of(p.op)] += per_step;
    switch (p.scope) {
      case ProductScope::layer_forward:
        layer_forward += seconds;
        break;
      case ProductScope::layer_backward:
        layer_backward += seconds;
        break;
      case ProductScope::model_forward:
        model_forward += seconds;
        break;
      case ProductScope::model_backward:
        model_backward += seconds;
        break;
    }
  }
  e.complete = forward_complete;
  if (!e.complete) return e;
  // Megatron's tensor parallelism: two all-reduces forward (after the attention projection and
  // the MLP) and two backward (the input gradients of qkv and the MLP's first product).
  double comm = 0;
  if (c.tensor_parallel > 1) comm = 2 * all_reduce_seconds(c, source, e.comm_estimated);
  e.layer_time_s = layer_forward + comm;
  e.backward_measured = backward_complete;
  if (e.backward_measured) {
    e.layer_backward_s = layer_backward + comm;
    e.logit_s = model_forward + model_backward;
    e.op_seconds = forward_op_seconds;
    for (const auto& [op, s] : backward_op_seconds) e.op_seconds[op] += s;
  } else {
    e.layer_backward_s = 2 * e.layer_time_s;
    e.logit_s = 3 * model_forward;
    e.spread_s *= 3;
    for (const auto& [op, s] : forward_op_seconds) e.op_seconds[op] = 3 * s;
  }
  e.step_time_s = layers * (e.layer_time_s + e.layer_backward_s) + e.logit_s;
  return e;
}

}  // namespace gs
