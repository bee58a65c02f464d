#include "advise/product_times.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "jobs/op_shape.hpp"

namespace gs {
namespace {

std::string collective_key(std::string_view dtype, std::int64_t group, std::int64_t bytes) {
  return fmt::format("{}/{}/{}", dtype, group, bytes);
}

template <typename T>
T median_of(std::vector<T>& xs) {
  std::sort(xs.begin(), xs.end(), [](const T& a, const T& b) { return a.seconds < b.seconds; });
  return xs[xs.size() / 2];
}

}  // namespace

ProductTimes ProductTimes::from_rows(const std::vector<ResultRow>& rows) {
  std::unordered_map<ProductKey, std::vector<ProductTime>, ProductKeyHash> gemms;
  std::unordered_map<std::string, std::vector<double>> reduces;
  for (const ResultRow& r : rows) {
    if (r.status != "ok" || !(r.time_s > 0)) continue;
    const auto op = parse_op(r.op);
    const auto dtype = parse_dtype(r.dtype);
    if (!op || !dtype) continue;
    if (*op == Op::all_reduce) {
      reduces[collective_key(r.dtype, r.group_size, r.message_bytes)].push_back(r.time_s);
      continue;
    }
    if (is_collective(*op)) continue;
    const OperandLayout layout = operand_layout(*op);
    const GemmShape shape{r.batch, r.m, r.n, r.k, layout.a_transposed, layout.b_transposed};
    gemms[ProductKey{shape, *dtype}].push_back({r.time_s, r.rel_ci, true});
  }
  ProductTimes times;
  for (auto& [key, list] : gemms) times.gemms_.emplace(key, median_of(list));
  for (auto& [key, list] : reduces) {
    std::sort(list.begin(), list.end());
    times.all_reduces_.emplace(key, list[list.size() / 2]);
  }
  return times;
}

std::optional<ProductTime> ProductTimes::gemm(const ProductKey& key) const {
  const auto it = gemms_.find(key);
  if (it == gemms_.end()) return std::nullopt;
  return it->second;
}

std::optional<double> ProductTimes::all_reduce(DType dtype, std::int64_t group,
                                               std::int64_t bytes) const {
  const auto it = all_reduces_.find(collective_key(to_string(dtype), group, bytes));
  if (it == all_reduces_.end()) return std::nullopt;
  return it->second;
}

}  // namespace gs
