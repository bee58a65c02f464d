#pragma once
#include <cstdint>
#include <string>

#include "jobs/op.hpp"
#include "jobs/point.hpp"
#include "jobs/saturating_math.hpp"

namespace gs {

// Room for the ops of today and those to come (collectives), so that ids stay stable.
inline constexpr std::uint64_t kOpSlots = 32;

// One unit of work: one op at one point. Its id depends only on the point and the op, so the
// same job file gives the same ids on every rank, every run and every resume.
struct Task {
  std::uint64_t id = 0;
  Op op = Op::gemm;
  Point point;
  GemmShape shape;

  double flops() const { return shape.flops(); }
  // Device memory of one rank: a collective holds a send and a receive buffer.
  std::uint64_t bytes() const {
    return is_collective(op)
               ? saturating_mul(std::uint64_t{2}, static_cast<std::uint64_t>(point.message_bytes))
               : shape.bytes(point.dtype);
  }
  bool operator==(const Task&) const = default;
};

inline std::uint64_t task_id(std::uint64_t point_id, Op op) {
  return point_id * kOpSlots + static_cast<std::uint64_t>(op);
}

// A (point, op) that will not be measured, and why.
struct SkippedTask {
  Task task;
  std::string reason;
};

}  // namespace gs
