#pragma once
#include <cstdint>

namespace gs {

// The seed of every backend's random inputs, so that two runs of a job measure the same operands.
inline constexpr std::uint64_t kInputSeed = 0x5eed;

}  // namespace gs
