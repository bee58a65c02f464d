// Runs on every machine: the cuda backend must say "unavailable" where there is no GPU or driver,
// never crash, and must come up where there is one.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "worker/cuda/cuda_backend.hpp"
#include "worker/cuda/device_props.hpp"
#include "worker/cuda/nvml_library.hpp"

namespace gs {
namespace {

// Independent of the CUDA runtime: the driver's device node, or nvidia-smi listing a GPU.
bool machine_has_nvidia_gpu() {
  if (std::filesystem::exists("/dev/nvidia0")) return true;
  return std::system("nvidia-smi -L 2>/dev/null | grep -q '^GPU '") == 0;
}

TEST(CudaAvailability, AnswersWhatTheMachineHasWithoutCrashing) {
  const bool gpu = machine_has_nvidia_gpu();
  EXPECT_EQ(cuda_device_available(), gpu);
  EXPECT_EQ(cuda_device_available(), gpu) << "a second probe must give the same answer";
  if (gpu) {
    const auto backend = make_cuda_backend(CudaOptions{});
    ASSERT_NE(backend, nullptr);
    EXPECT_EQ(backend->kind(), "cuda");
    EXPECT_FALSE(backend->device_info().name.empty());
  } else {
    try {
      (void)make_cuda_backend(CudaOptions{});
      FAIL() << "make_cuda_backend must throw BackendUnavailable without a GPU";
    } catch (const BackendUnavailable& e) {
      EXPECT_NE(std::string(e.what()).find("cuda backend unavailable"), std::string::npos)
          << e.what();
    }
  }
}

TEST(CudaAvailability, DeviceIndexOutOfRangeIsUnavailable) {
  CudaOptions options;
  options.device_index = 4096;
  EXPECT_THROW((void)make_cuda_backend(options), BackendUnavailable);
  options.device_index = -1;
  EXPECT_THROW((void)make_cuda_backend(options), BackendUnavailable);
}

TEST(Nvml, LoadsWhereADriverIsAndAnswersEmptyWhereNot) {
  const NvmlLibrary nvml;
  if (!machine_has_nvidia_gpu()) {
    EXPECT_FALSE(nvml.available());
    EXPECT_FALSE(nvml.unavailable_reason().empty());
  }
  if (!nvml.available()) {
    // Every query answers empty, zero or NaN (telemetry not read, docs/results-format.md) instead
    // of failing.
    EXPECT_EQ(nvml.find_device("0000:3b:00.0", "GPU-00000000-0000-0000-0000-000000000000"),
              nullptr);
    const DeviceReadings r = nvml.read(nullptr);
    EXPECT_TRUE(std::isnan(r.sm_clock_mhz));
    EXPECT_TRUE(std::isnan(r.power_w));
    EXPECT_EQ(r.throttle_reasons, 0u);
    EXPECT_TRUE(nvml.driver_version().empty());
    EXPECT_TRUE(nvml.device_name(nullptr).empty());
    EXPECT_EQ(nvml.max_sm_clock_mhz(nullptr), 0);
  } else {
    EXPECT_FALSE(nvml.driver_version().empty());
  }
}

TEST(DeviceProps, FormatsUuidsAndVersionsAsNvidiaToolsDo) {
  std::array<unsigned char, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 17);
  EXPECT_EQ(format_gpu_uuid(bytes), "GPU-00112233-4455-6677-8899-aabbccddeeff");
  EXPECT_EQ(format_cuda_version(13000), "13.0");
  EXPECT_EQ(format_cuda_version(12040), "12.4");
}

}  // namespace
}  // namespace gs
