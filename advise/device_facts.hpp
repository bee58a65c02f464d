#pragma once
#include <string>

namespace gs {

// What the device offers the MFU and the memory check (NaN / 0 where unknown).
struct DeviceFacts {
  double peak_tflops = 0;  // dense peak for the dtype; 0: MFU is NaN (cpu backend)
  double memory_bytes = 0;
  std::string name;
};

}  // namespace gs
