#pragma once
#include <cstdint>
#include <string>

#include "jobs/dtype.hpp"
#include "jobs/op.hpp"
#include "jobs/point.hpp"

namespace gs {

// The largest message one rank sends, [comm] bytes or derived from [model]: 16 GiB.
inline constexpr std::int64_t kMaxMessageBytes = std::int64_t{1} << 34;

// Collectives move fp16, bf16, fp32 or fp64 elements (what MPI and NCCL both reduce).
bool is_collective_dtype(DType d);
inline constexpr const char* kCollectiveDTypes = "fp16, bf16, fp32, fp64";

// A model job's collective is the per-layer tensor-parallel exchange of the layer's activations:
// microbatch*seq_length*hidden_size elements among tensor_parallel ranks. Fills p.message_bytes
// and p.group_size from the model fields; a product past kMaxMessageBytes (even past int64) is
// stored as kMaxMessageBytes + 1, which collective_skip_reason() refuses.
void derive_collective_message(Point& p);

// Why `op` cannot run at `p` (its message_bytes and group_size set), or empty when it can: a
// dtype collectives do not move, a group under 2 ranks, a message over kMaxMessageBytes or not
// whole elements, or
// one that does not split into group_size equal parts where the op splits it.
std::string collective_skip_reason(Op op, const Point& p);

// Elements of the message (message_bytes / element size).
std::int64_t message_elements(const Point& p);

}  // namespace gs
