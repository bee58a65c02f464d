#pragma once
#include <cstdint>
#include <string>
#include <tuple>

#include "io/result_row.hpp"

namespace gs {

// A measurement's identity across runs, shards and grids: what was measured, not which run or
// rank measured it, nor its task id (task ids of different grids may coincide).
using RowKey = std::tuple<std::string, std::string, std::int64_t, std::int64_t, std::int64_t,
                          std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                          std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;

inline RowKey key_of(const ResultRow& r) {
  return {r.op,         r.dtype,           r.hidden_size, r.heads, r.head_dim, r.microbatch,
          r.seq_length, r.tensor_parallel, r.vocab_size,  r.batch, r.m,        r.n,
          r.k,          r.message_bytes,   r.group_size};
}

}  // namespace gs
