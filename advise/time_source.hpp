#pragma once
#include <functional>

#include "advise/product_times.hpp"
#include "jobs/task.hpp"

namespace gs {

// Where a candidate's product times come from.
struct TimeSource {
  const ProductTimes* times = nullptr;
  // Predicts a product the file lacks (the model backend), or empty: such a candidate is then
  // incomplete and not ranked.
  std::function<double(const Task&)> predict;
  // Bus bandwidth (GB/s) and per-step latency of the tensor-parallel all-reduce estimate, used
  // where the file has no all_reduce row of the size (docs/advise.md).
  double allreduce_bus_gbs = 0;
  double allreduce_latency_s = 0;
};

}  // namespace gs
