#pragma once
#include <cstddef>
#include <cstdint>

#include "jobs/op.hpp"

namespace gs {

// The known values a collective's check moves, shared by the MPI and NCCL runners. A message of
// `elements` elements (nccl-tests' size) among `group` ranks, `chunk` = elements / group:
// all_reduce sends all and receives all; all_gather sends a chunk and receives all;
// reduce_scatter sends all and receives a chunk; broadcast (root 0) and all_to_all move all.
// Values are small integers, exact in every dtype the collectives take for groups up to 16.
struct CollectivePattern {
  Op op = Op::all_reduce;
  std::size_t elements = 0;
  int group = 2;
  int rank = 0;

  std::size_t chunk() const { return elements / static_cast<std::size_t>(group); }
  std::size_t send_elements() const;
  std::size_t recv_elements() const;
  double send_value(std::size_t i) const;
  double expected_value(std::size_t i) const;  // of recv[i] once the collective has run
  // Compares a value read back with what was expected, with room for bf16 rounding.
  static bool close(double got, double expected);
  // The indices a check reads: every one up to 64 Ki, then evenly spread.
  static std::size_t check_stride(std::size_t count);
};

}  // namespace gs
