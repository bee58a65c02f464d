// The cuda backend's memory arithmetic on the host: a rank's share of a GPU's free memory under
// --ranks-per-gpu, the skip reason, and the rotation set count. No GPU needed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "worker/cuda/device_memory.hpp"

namespace gs {
namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

CudaDeviceProps h200() {
  CudaDeviceProps p;
  p.index = 1;
  p.name = "NVIDIA H200";
  return p;
}

TEST(DeviceMemory, EachRankSharingAGpuCountsOnItsShare) {
  EXPECT_EQ(memory_share(100 * kGiB, 1), 100 * kGiB);
  EXPECT_EQ(memory_share(100 * kGiB, 4), 25 * kGiB);
  EXPECT_EQ(memory_share(100 * kGiB, 0), 100 * kGiB) << "no sharing given: the whole GPU";
}

TEST(DeviceMemory, ATaskThatFitsTheGpuButNotAShareIsSkipped) {
  const std::uint64_t operands = 40 * kGiB;
  EXPECT_FALSE(memory_shortfall(operands, 100 * kGiB, 1, h200()).has_value());
  EXPECT_FALSE(memory_shortfall(operands, 100 * kGiB, 2, h200()).has_value());
  const auto reason = memory_shortfall(operands, 100 * kGiB, 3, h200());
  ASSERT_TRUE(reason.has_value()) << "three ranks: 33 GiB each, too little for 40 GiB";
  EXPECT_NE(reason->find("does not fit in device memory"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("3 ranks share the GPU (--ranks-per-gpu)"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("33.33 GiB"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("device 1 (NVIDIA H200"), std::string::npos) << *reason;
}

TEST(DeviceMemory, TheMarginCountsAndHugeNeedsDoNotWrap) {
  const std::uint64_t free_bytes = 10 * kGiB;
  EXPECT_TRUE(memory_shortfall(free_bytes, free_bytes, 1, h200()).has_value())
      << "A, B and C alone fill it: no room for the margin";
  EXPECT_FALSE(memory_shortfall(free_bytes - kMemoryMarginBytes, free_bytes, 1, h200()));
  EXPECT_TRUE(memory_shortfall(UINT64_MAX, free_bytes, 1, h200()).has_value());
  const auto alone = memory_shortfall(11 * kGiB, free_bytes, 1, h200());
  ASSERT_TRUE(alone.has_value());
  EXPECT_EQ(alone->find("share"), std::string::npos) << "one rank: no share to speak of";
}

TEST(DeviceMemory, RotationSetsCoverTwiceTheL2WithinTheShare) {
  const std::uint64_t l2 = 50ull << 20;  // an H100 / H200 L2
  // 10 MiB sets: ten of them exceed 2 x 50 MiB.
  EXPECT_EQ(rotation_set_count(10u << 20, l2, 64, 80 * kGiB, 1), 10u);
  EXPECT_EQ(rotation_set_count(10u << 20, l2, 4, 80 * kGiB, 1), 4u) << "no more than launches";
  EXPECT_EQ(rotation_set_count(300u << 20, l2, 64, 80 * kGiB, 1), 1u) << "one set exceeds L2";
  // 1 GiB free shared by 2 ranks: 512 MiB each, all of it margin: only the set already held.
  EXPECT_EQ(rotation_set_count(10u << 20, l2, 64, kGiB, 2), 1u);
  // Alone on the GPU, 1 GiB leaves 512 MiB beyond the margin: all ten fit.
  EXPECT_EQ(rotation_set_count(10u << 20, l2, 64, kGiB, 1), 10u);
}

TEST(DeviceMemory, BytesText) {
  EXPECT_EQ(bytes_text(3 * kGiB / 2), "1.50 GiB");
  EXPECT_EQ(bytes_text(12u << 20), "12.0 MiB");
  EXPECT_EQ(bytes_text(3072), "3.0 KiB");
}

}  // namespace
}  // namespace gs
