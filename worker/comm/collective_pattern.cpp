#include "worker/comm/collective_pattern.hpp"

#include <cmath>

namespace gs {
namespace {

double base(std::size_t i) { return 1.0 + static_cast<double>(i % 3); }

}  // namespace

std::size_t CollectivePattern::send_elements() const {
  return op == Op::all_gather ? chunk() : elements;
}

std::size_t CollectivePattern::recv_elements() const {
  return op == Op::reduce_scatter ? chunk() : elements;
}

double CollectivePattern::send_value(std::size_t i) const {
  const double n = group, r = rank;
  switch (op) {
    case Op::all_gather:
      return r + base(i);
    case Op::broadcast:
      return rank == 0 ? base(i) : 0.0;
    case Op::all_to_all:
      return r * n + static_cast<double>(i / chunk()) + 1.0;  // chunk i / c goes to peer i / c
    default:
      return base(i);
  }
}

double CollectivePattern::expected_value(std::size_t i) const {
  const double n = group, r = rank;
  switch (op) {
    case Op::all_reduce:
      return n * base(i);
    case Op::all_gather:
      return static_cast<double>(i / chunk()) + base(i % chunk());
    case Op::reduce_scatter:
      return n * base(static_cast<std::size_t>(rank) * chunk() + i);
    case Op::broadcast:
      return base(i);
    case Op::all_to_all:
      return static_cast<double>(i / chunk()) * n + r + 1.0;  // from peer i / c
    default:
      return 0;
  }
}

bool CollectivePattern::close(double got, double expected) {
  return std::fabs(got - expected) <= 1e-2 * std::fabs(expected) + 1e-3;
}

std::size_t CollectivePattern::check_stride(std::size_t count) {
  constexpr std::size_t kAll = std::size_t{1} << 16;
  return count <= kAll ? 1 : count / kAll;
}

}  // namespace gs
