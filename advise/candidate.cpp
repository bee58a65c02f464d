#include "advise/candidate.hpp"

#include <fmt/format.h>

namespace gs {

Point point_of(const Candidate& c) {
  Point p;
  p.dtype = c.dtype;
  p.hidden_size = c.hidden_size;
  p.heads = c.heads;
  p.head_dim = c.head_dim;
  p.microbatch = c.microbatch;
  p.seq_length = c.seq_length;
  p.tensor_parallel = c.tensor_parallel;
  p.vocab_size = c.padded_vocab;
  p.ffn_hidden_size = c.ffn_hidden_size;
  return p;
}

std::string describe(const Candidate& c) {
  const std::string vocab = c.padded_vocab == c.vocab_size
                                ? std::to_string(c.vocab_size)
                                : fmt::format("{}->{}", c.vocab_size, c.padded_vocab);
  return fmt::format("h {} a {} L {} v {} ffn {} b {} s {} t {} {}", c.hidden_size, c.heads,
                     c.layers, vocab, c.ffn_hidden_size, c.microbatch, c.seq_length,
                     c.tensor_parallel, to_string(c.dtype));
}

}  // namespace gs
