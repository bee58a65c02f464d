#pragma once
#include <cstdint>
#include <string>

#include "jobs/dtype.hpp"
#include "jobs/point.hpp"

namespace gs {

// One model shape advise weighs: a value of every [advise] axis, the derived ones filled in.
struct Candidate {
  std::int64_t hidden_size = 0, heads = 0, head_dim = 0, layers = 0;
  std::int64_t vocab_size = 0;    // as the axis gives it
  std::int64_t pad_vocab_to = 1;  // the multiple it is padded to (1 = as given)
  std::int64_t padded_vocab = 0;  // what the model computes with
  std::int64_t ffn_hidden_size = 0;
  std::int64_t microbatch = 1, seq_length = 0, tensor_parallel = 1;
  DType dtype = DType::fp16;

  bool operator==(const Candidate&) const = default;
};

// The point its GEMMs are taken at (jobs/op_shape.cpp), vocabulary padded.
Point point_of(const Candidate& c);
// "h 2560 a 32 L 32 v 50257 ffn 10240 b 4 s 2048 t 1 fp16", for messages and the report.
std::string describe(const Candidate& c);

}  // namespace gs
