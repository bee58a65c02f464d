#pragma once
#include <vector>

namespace gs {

// Solves A x = b in place (A row-major n x n, b becomes x) by Gaussian elimination with partial
// pivoting; false when A is singular. The fit's normal equations are at most 10 x 10.
bool solve_linear(std::vector<double>& a, std::vector<double>& b);

}  // namespace gs
