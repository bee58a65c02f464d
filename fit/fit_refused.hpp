#pragma once
#include <stdexcept>

namespace gs {

// The rows cannot identify the model's terms (too few, a single alignment class, none `ok`, no
// GEMM). `gemmsweep fit` prints it as one line naming the file and exits with status 2.
class FitRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gs
