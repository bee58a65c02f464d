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

bool is_sticky(cudaError_t status) {
  switch (status) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchTimeout:
    case cudaErrorAssert:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorLaunchFailure:
    case cudaErrorECCUncorrectable:
      return true;
    default:
      return false;
  }
}

ApiStatus status_of(cudaError_t status) {
  return {"CUDA", static_cast<long long>(status), is_sticky(status)};
}

ApiStatus status_of(cublasStatus_t status) {
  return {"cuBLAS", static_cast<long long>(status), false};
}

}  // namespace gs::cuda_detail

namespace gs {

void throw_if_device_lost(cudaStream_t stream) {
  const cudaError_t status = cudaStreamSynchronize(stream);
  if (status == cudaSuccess) return;
  (void)cudaGetLastError();
  if (cuda_detail::is_sticky(status))
    throw_api_error(cuda_detail::status_of(status), "cudaStreamSynchronize(stream)",
                    cuda_detail::describe(status), __FILE__, __LINE__);
}

}  // namespace gs
