#pragma once
#include <hdf5.h>

#include <utility>

#include "io/h5_check.hpp"

namespace gs {

// Owns one HDF5 identifier and closes it with Close (HighFive's Object, without the refcount
// juggling): move-only, so that every id is closed exactly once, also on exceptions.
template <herr_t (*Close)(hid_t)>
class H5Handle {
 public:
  H5Handle() = default;
  explicit H5Handle(hid_t id) : id_(id) {}
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  H5Handle(H5Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  H5Handle& operator=(H5Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~H5Handle() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  void reset() noexcept {
    if (id_ >= 0) H5_CHECK_NOTHROW(Close(id_));
    id_ = H5I_INVALID_HID;
  }
  // Closes without a word on failure: for a file whose writes already failed and were reported,
  // where closing (a last flush) fails the same way again.
  void release_quietly() noexcept {
    if (id_ >= 0) Close(id_);
    id_ = H5I_INVALID_HID;
  }
  // Closes now and reports failure by throwing (H5Fclose: the last flush may fail).
  void close() {
    if (id_ >= 0) H5_CHECK(Close(std::exchange(id_, H5I_INVALID_HID)));
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using H5File = H5Handle<H5Fclose>;
using H5Dataset = H5Handle<H5Dclose>;
using H5Space = H5Handle<H5Sclose>;
using H5Type = H5Handle<H5Tclose>;
using H5Plist = H5Handle<H5Pclose>;
using H5Attribute = H5Handle<H5Aclose>;

}  // namespace gs
