#pragma once
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"

namespace gs {

// One point of the grid: a value of every axis. Model fields are zero for raw gemm/bmm points,
// whose shape is in `raw`. `id` is the point's index in the grid's row-major order.
struct Point {
  std::uint64_t id = 0;
  DType dtype = DType::fp16;
  std::int64_t hidden_size = 0;
  std::int64_t heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t microbatch = 0;
  std::int64_t seq_length = 0;
  std::int64_t tensor_parallel = 0;
  std::int64_t vocab_size = 0;
  GemmShape raw;

  bool operator==(const Point&) const = default;
};

}  // namespace gs
