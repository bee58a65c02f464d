#pragma once
#include <utility>

namespace gs {

// Owns one handle of a C API (a CUDA stream or event, device memory, a cuBLAS handle) and frees it
// with Destroy, as io/h5_handle.hpp does for HDF5: move-only, so that every handle is freed
// exactly once, also on exceptions. Destroy is a stateless callable that never throws (it reports
// a failure with the API's _NOTHROW check); T{} is the empty handle.
template <class T, class Destroy>
class UniqueHandle {
 public:
  UniqueHandle() = default;
  explicit UniqueHandle(T handle) noexcept : handle_(handle) {}
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;
  UniqueHandle(UniqueHandle&& other) noexcept : handle_(std::exchange(other.handle_, T{})) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, T{});
    }
    return *this;
  }
  ~UniqueHandle() { reset(); }

  T get() const noexcept { return handle_; }
  explicit operator bool() const noexcept { return handle_ != T{}; }
  void reset() noexcept {
    if (handle_ != T{}) Destroy{}(std::exchange(handle_, T{}));
  }

 private:
  T handle_{};
};

}  // namespace gs
