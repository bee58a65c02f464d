#include "advise/model_counts.hpp"

namespace gs {
namespace {

double mlp_matrices(MlpKind kind) { return kind == MlpKind::swiglu ? 3.0 : 2.0; }

double layer_parameters(const Candidate& c, const AdviseSpec& spec) {
  const auto h = static_cast<double>(c.hidden_size);
  const auto f = static_cast<double>(c.ffn_hidden_size);
  return 4 * h * h + mlp_matrices(spec.mlp) * h * f;
}

}  // namespace

ParameterCount count_parameters(const Candidate& c, const AdviseSpec& spec) {
  ParameterCount n;
  const double vh = static_cast<double>(c.padded_vocab) * static_cast<double>(c.hidden_size);
  n.layer = layer_parameters(c, spec);
  n.embeddings = spec.tied_embeddings ? vh : 2 * vh;
  n.total = static_cast<double>(c.layers) * n.layer + n.embeddings;
  n.flop_params = static_cast<double>(c.layers) * n.layer + vh;
  return n;
}

double total_parameters(const Candidate& c, const AdviseSpec& spec) {
  return count_parameters(c, spec).total;
}

double model_flops_per_token(const Candidate& c, const AdviseSpec& spec) {
  const ParameterCount n = count_parameters(c, spec);
  return 6 * n.flop_params + 12.0 * static_cast<double>(c.layers) *
                                 static_cast<double>(c.hidden_size) *
                                 static_cast<double>(c.seq_length);
}

TrainingMemory training_memory(const Candidate& c, const AdviseSpec& spec) {
  const auto t = static_cast<double>(c.tensor_parallel);
  const auto s = static_cast<double>(c.seq_length), b = static_cast<double>(c.microbatch),
             h = static_cast<double>(c.hidden_size), a = static_cast<double>(c.heads),
             layers = static_cast<double>(c.layers), v = static_cast<double>(c.padded_vocab);
  TrainingMemory m;
  m.state_bytes = 16 * count_parameters(c, spec).total / t;
  const double sbh = s * b * h;
  double per_layer = 0;
  switch (spec.recompute) {
    case Recompute::none:
      per_layer = sbh * (10 + 24 / t + 5 * a * s / (h * t));
      break;
    case Recompute::selective:
      per_layer = sbh * (10 + 24 / t);
      break;
    case Recompute::full:
      per_layer = 2 * sbh;
      break;
  }
  m.activation_bytes = layers * per_layer + 4 * s * b * v / t;
  return m;
}

}  // namespace gs
