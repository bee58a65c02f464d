#pragma once
#include <string>

#include "advise/candidate.hpp"

namespace gs {

// The paper's shape rules (arXiv:2401.14489) a candidate meets, as bits.
enum RuleBit : unsigned {
  kHeadDim64 = 1,    // h/a a multiple of 64
  kHidden64t = 2,    // h a multiple of 64·t
  kVocab64 = 4,      // (padded) vocabulary a multiple of 64
  kBatchHeadsT = 8,  // b·a/t whole
};
unsigned rules_met(const Candidate& c);
// "d64 h64t v64 bat" for the bits set, "-" for none.
std::string rules_text(unsigned rules);

}  // namespace gs
