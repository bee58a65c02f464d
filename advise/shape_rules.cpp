#include "advise/shape_rules.hpp"

#include <utility>

namespace gs {

unsigned rules_met(const Candidate& c) {
  unsigned r = 0;
  if (c.head_dim % 64 == 0) r |= kHeadDim64;
  if (c.hidden_size % (64 * c.tensor_parallel) == 0) r |= kHidden64t;
  if (c.padded_vocab % 64 == 0) r |= kVocab64;
  if ((c.microbatch * c.heads) % c.tensor_parallel == 0) r |= kBatchHeadsT;
  return r;
}

std::string rules_text(unsigned rules) {
  std::string out;
  const std::pair<unsigned, const char*> names[] = {
      {kHeadDim64, "d64"}, {kHidden64t, "h64t"}, {kVocab64, "v64"}, {kBatchHeadsT, "bat"}};
  for (const auto& [bit, name] : names)
    if (rules & bit) {
      if (!out.empty()) out += ' ';
      out += name;
    }
  return out.empty() ? "-" : out;
}

}  // namespace gs
