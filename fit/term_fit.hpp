#pragma once
#include <array>
#include <string>
#include <vector>

#include "fit/term_vector.hpp"
#include "worker/model/model_terms.hpp"

namespace gs {

// What one dtype's fit found.
struct TermFit {
  ModelTerms terms;
  std::array<bool, kFreeTerms> fitted{};
  // Terms held although allowed, because the rows cannot identify them, with why.
  std::vector<std::string> held_reasons;
  int iterations = 0;
  double scale = 0;  // the Huber scale used
  double loss = 0;   // mean Huber loss of log(predicted / measured), plus the bound's penalty
};

}  // namespace gs
