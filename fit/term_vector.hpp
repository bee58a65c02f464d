#pragma once
#include <array>
#include <string_view>

#include "worker/model/model_terms.hpp"

namespace gs {

// The free terms of ModelTerms as the fit sees them: logarithms, so that every term stays
// positive and a step is a relative change. Terms that enter the model only as a product are one
// parameter: the dtype's peak times compute_efficiency (the peak is hardware), the bandwidth
// times bandwidth_efficiency, and the widest alignment class's factors (1 by definition) times
// the efficiencies. The order is the order of preference when two are not separable.
inline constexpr std::size_t kFreeTerms = 11;
using TermVector = std::array<double, kFreeTerms>;

enum class Term : std::size_t {
  compute_efficiency,
  bandwidth_efficiency,
  tile_overhead,
  launch,
  align16_compute,
  align16_memory,
  align4_compute,
  align4_memory,
  align1_compute,
  align1_memory,
  memory_overlap,  // docs/model.md: how much of the memory time a long reduction hides
};

// "compute_efficiency", "alignment[2].memory", ... as the spec file names them.
std::string_view term_name(std::size_t index);
// The alignment class a term belongs to (1, 2, 3), or -1 for the terms every class shares.
int term_alignment_class(std::size_t index);
// Whether the term is a share of a rate, at most 1 (efficiencies and alignment factors).
bool term_is_share(std::size_t index);

TermVector to_vector(const ModelTerms& terms);
// `base` with the terms of v that `which` marks (every term when null); the others keep base's
// value exactly, not a round trip through log and exp.
ModelTerms to_terms(const TermVector& v, ModelTerms base,
                    const std::array<bool, kFreeTerms>* which = nullptr);

}  // namespace gs
