#pragma once
#include <cublasLt.h>

#include <utility>

#include "worker/cuda/cuda_check.hpp"

namespace gs {

// A cuBLASLt handle. Move-only.
class CublasLtHandle {
 public:
  CublasLtHandle() { CUBLAS_CHECK(cublasLtCreate(&handle_)); }
  ~CublasLtHandle() {
    if (handle_ != nullptr) CUBLAS_CHECK_NOTHROW(cublasLtDestroy(handle_));
  }
  CublasLtHandle(const CublasLtHandle&) = delete;
  CublasLtHandle& operator=(const CublasLtHandle&) = delete;
  CublasLtHandle(CublasLtHandle&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)) {}
  CublasLtHandle& operator=(CublasLtHandle&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }

  cublasLtHandle_t get() const { return handle_; }

 private:
  cublasLtHandle_t handle_ = nullptr;
};

}  // namespace gs
