#include "fit/term_vector.hpp"

#include <cmath>

namespace gs {

std::string_view term_name(std::size_t index) {
  static constexpr std::array<std::string_view, kFreeTerms> kNames{
      "compute_efficiency",     "bandwidth_efficiency",
      "tile_overhead_s",        "launch_s",
      "alignment[1].compute",   "alignment[1].memory",
      "alignment[2].compute",   "alignment[2].memory",
      "alignment[3].compute",   "alignment[3].memory",
      "memory_overlap_per_byte"};
  return kNames.at(index);
}

int term_alignment_class(std::size_t index) {
  return index < 4 || index >= 10 ? -1 : static_cast<int>(1 + (index - 4) / 2);
}

bool term_is_share(std::size_t index) {
  return index != static_cast<std::size_t>(Term::tile_overhead) &&
         index != static_cast<std::size_t>(Term::launch) &&
         index != static_cast<std::size_t>(Term::memory_overlap);
}

TermVector to_vector(const ModelTerms& t) {
  TermVector v{};
  v[0] = std::log(t.compute_efficiency);
  v[1] = std::log(t.bandwidth_efficiency);
  v[2] = std::log(t.tile_overhead_s);
  v[3] = std::log(t.launch_s);
  for (std::size_t c = 1; c < t.alignment.size(); ++c) {
    v[4 + 2 * (c - 1)] = std::log(t.alignment[c].compute);
    v[5 + 2 * (c - 1)] = std::log(t.alignment[c].memory);
  }
  // 0 (no overlap) has no logarithm; such a base holds the term (fit/gpu_fit.cpp).
  v[10] = t.memory_overlap_per_byte > 0 ? std::log(t.memory_overlap_per_byte) : -HUGE_VAL;
  return v;
}

ModelTerms to_terms(const TermVector& v, ModelTerms t, const std::array<bool, kFreeTerms>* which) {
  const auto set = [&](std::size_t j, double& term) {
    if (!which || (*which)[j]) term = std::exp(v[j]);
  };
  set(0, t.compute_efficiency);
  set(1, t.bandwidth_efficiency);
  set(2, t.tile_overhead_s);
  set(3, t.launch_s);
  for (std::size_t c = 1; c < t.alignment.size(); ++c) {
    set(4 + 2 * (c - 1), t.alignment[c].compute);
    set(5 + 2 * (c - 1), t.alignment[c].memory);
  }
  set(10, t.memory_overlap_per_byte);
  return t;
}

}  // namespace gs
