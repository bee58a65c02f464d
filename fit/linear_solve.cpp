#include "fit/linear_solve.hpp"

#include <cmath>
#include <utility>

namespace gs {

bool solve_linear(std::vector<double>& a, std::vector<double>& b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r * n + col]) > std::abs(a[pivot * n + col])) pivot = r;
    if (!(std::abs(a[pivot * n + col]) > 1e-300)) return false;
    if (pivot != col) {
      for (std::size_t c = 0; c < n; ++c) std::swap(a[col * n + c], a[pivot * n + c]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < n; ++r) {
      const double f = a[r * n + col] / a[col * n + col];
      for (std::size_t c = col; c < n; ++c) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  for (std::size_t col = n; col-- > 0;) {
    double sum = b[col];
    for (std::size_t c = col + 1; c < n; ++c) sum -= a[col * n + c] * b[c];
    b[col] = sum / a[col * n + col];
  }
  return true;
}

}  // namespace gs
