#pragma once
#include <array>

#include "fit/term_vector.hpp"
#include "worker/model/model_terms.hpp"

namespace gs {

// Which terms a fit may move, and where the others stay.
struct TermFitRequest {
  ModelTerms start;                        // where the free terms start
  ModelTerms held;                         // the value of every term the fit does not move
  std::array<bool, kFreeTerms> allowed{};  // false: held whatever the rows say
};

}  // namespace gs
