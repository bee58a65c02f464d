#pragma once
#include <cstdint>

#include "advise/advise_spec.hpp"
#include "advise/candidate.hpp"

namespace gs {

// Parameters of a candidate (docs/advise.md, "Formulas"). Biases and norms are left out (under
// 0.1% at these sizes), as are position embeddings (rotary has none).
//   layer      = 4h² + m·h·f      (q, k, v, output projection; m = 2 GELU, 3 SwiGLU)
//   embeddings = v·h, once when tied with the logit, twice when not
//   total N    = L·layer + embeddings
//   flop N     = L·layer + v·h    (the logit's matrix; the input embedding is a lookup)
struct ParameterCount {
  double layer = 0;
  double embeddings = 0;
  double total = 0;
  double flop_params = 0;
};
ParameterCount count_parameters(const Candidate& c, const AdviseSpec& spec);
// Only the total, for the budget filter before anything else is computed.
double total_parameters(const Candidate& c, const AdviseSpec& spec);

// Model FLOPs per token of one training step (PaLM's MFU, Chowdhery et al. 2022, appendix B):
// 6·flop N + 12·L·h·s, attention counted in full (not causal), as the GEMMs compute it.
double model_flops_per_token(const Candidate& c, const AdviseSpec& spec);

// Memory of training on one GPU of the tensor-parallel group, in bytes:
//   state       = 16·N / t   (fp16 weights and gradients, fp32 master weights and Adam's two
//                             moments: 2 + 2 + 4 + 4 + 4 bytes; ZeRO and pipelines left out)
//   activations = L·sbh·(10 + 24/t + 5·a·s/(h·t)) without recomputation, L·sbh·(10 + 24/t)
//                 selective, L·2·sbh full (Korthikanti et al. 2022, no sequence parallelism),
//                 plus the fp32 logits 4·s·b·v/t
struct TrainingMemory {
  double state_bytes = 0;
  double activation_bytes = 0;
  double total() const { return state_bytes + activation_bytes; }
};
TrainingMemory training_memory(const Candidate& c, const AdviseSpec& spec);

}  // namespace gs
