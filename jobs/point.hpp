#pragma once
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"

namespace gs {

// One point of the grid: a value of every axis. Model fields are zero for raw gemm/bmm points,
// whose shape is in `raw`, and for collective ([comm]) points. `id` is the point's index in the
// grid's row-major order.
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
  // Width of the MLP's inner layer; 0 means 4 * hidden_size (a [model] job). advise sets it for
  // other widths (SwiGLU's 8h/3, a fused gate-and-up product of twice the width).
  std::int64_t ffn_hidden_size = 0;
  GemmShape raw;
  // Collective tasks only (zero otherwise): bytes of the message in nccl-tests' convention (the
  // whole buffer: all_gather's output, reduce_scatter's input) and the ranks taking part. A model
  // job's collective derives them (microbatch*seq_length*hidden_size elements among
  // tensor_parallel ranks) on its task's copy of the point.
  std::int64_t message_bytes = 0;
  std::int64_t group_size = 0;

  std::int64_t ffn_width() const { return ffn_hidden_size > 0 ? ffn_hidden_size : 4 * hidden_size; }
  bool operator==(const Point&) const = default;
};

}  // namespace gs
