#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "jobs/axis.hpp"
#include "jobs/dtype.hpp"

namespace gs {

// The MLP of a layer: GELU's two products (h -> ffn -> h) or SwiGLU's three (gate and up
// h -> ffn, down ffn -> h), the gate and up either separate or fused into one h -> 2·ffn.
enum class MlpKind { gelu, swiglu };
// Activation recomputation (Korthikanti et al. 2022): none, selective (attention's softmax and
// dropout recomputed), full (each layer's input kept, the layer recomputed).
enum class Recompute { none, selective, full };

// params = { target, tolerance }: candidates within target·(1 ± tolerance) parameters.
struct ParamBudget {
  double target = 0;
  double tolerance = 0.05;
  double low() const { return target * (1 - tolerance); }
  double high() const { return target * (1 + tolerance); }
};

// The shape the user would train today. Unset fields take the first value of their axis.
struct BaselineShape {
  std::int64_t hidden_size = 0, heads = 0, layers = 0, vocab_size = 0;
  std::optional<std::int64_t> ffn_hidden_size, microbatch, seq_length, tensor_parallel,
      pad_vocab_to;
  std::optional<DType> dtype;
};

// The [advise] table of a job file (docs/advise.md), every axis in the project's axis syntax.
struct AdviseSpec {
  ParamBudget params;
  Axis hidden_size{"hidden_size", {}};
  Axis heads{"heads", {}};
  Axis head_dim{"head_dim", {}};
  Axis layers{"layers", {}};
  Axis vocab_size{"vocab_size", {}};
  Axis pad_vocab_to{"pad_vocab_to", {}};  // 1 = as given; 64 or 128 = rounded up to that multiple
  Axis ffn_hidden_size{"ffn_hidden_size", {}};  // empty: 4h (gelu), 8h/3 up to 64 (swiglu)
  Axis microbatch{"microbatch", {}};
  Axis seq_length{"seq_length", {}};
  Axis tensor_parallel{"tensor_parallel", {}};
  MlpKind mlp = MlpKind::gelu;
  bool fused_gate_up = false;
  bool tied_embeddings = true;
  Recompute recompute = Recompute::none;
  // Bounds on hidden_size / layers (0 = none): the fastest shape of a budget is otherwise always
  // the shallowest.
  double min_width_per_layer = 0, max_width_per_layer = 0;
  bool measure_backward = true;
  // Measure the tensor-parallel all-reduces (t > 1) in the sweep too: the run then needs t ranks
  // per group (docs/collectives.md); otherwise rows of an earlier comm sweep, or the estimate.
  bool measure_collectives = false;
  std::optional<BaselineShape> baseline;
  int top = 10;  // candidates printed
};

std::string_view to_string(MlpKind kind);
std::string_view to_string(Recompute recompute);

}  // namespace gs
