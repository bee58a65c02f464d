#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "advise/product_key.hpp"
#include "io/result_row.hpp"

namespace gs {

// The time of one product as a step uses it.
struct ProductTime {
  double seconds = 0;
  double rel_ci = 0;     // relative half-width of its confidence interval (0: one sample, model)
  bool measured = true;  // false: predicted by the model for a product the file lacks
};

// The ok rows of a results file by what they measured: GEMMs by ProductKey (the op's operand
// layout restored from its name), all_reduce rows by (dtype, group size, bytes). Several rows of
// one product (reruns, merged files) give the median time.
class ProductTimes {
 public:
  static ProductTimes from_rows(const std::vector<ResultRow>& rows);

  std::optional<ProductTime> gemm(const ProductKey& key) const;
  std::optional<double> all_reduce(DType dtype, std::int64_t group, std::int64_t bytes) const;
  std::size_t gemm_count() const { return gemms_.size(); }

 private:
  std::unordered_map<ProductKey, ProductTime, ProductKeyHash> gemms_;
  std::unordered_map<std::string, double> all_reduces_;
};

}  // namespace gs
