#include "worker/cuda/cuda_check.hpp"

#include <fmt/format.h>

namespace gs::cuda_detail {

std::string describe(cudaError_t status) {
  return fmt::format("{} ({}): {}", cudaGetErrorName(status), static_cast<int>(status),
                     cudaGetErrorString(status));
}

std::string describe(cublasStatus_t status) {
  return fmt::format("{} ({})", cublasGetStatusName(status), static_cast<int>(status));
}

}  // namespace gs::cuda_detail
