#include "worker/comm/element_codec.hpp"

#include <bit>
#include <cstring>

namespace gs {
namespace {

template <class T>
void put(std::byte* base, std::size_t index, T value) {
  std::memcpy(base + index * sizeof(T), &value, sizeof(T));
}

template <class T>
T get(const std::byte* base, std::size_t index) {
  T value;
  std::memcpy(&value, base + index * sizeof(T), sizeof(T));
  return value;
}

// bf16 is the top half of an fp32; round to nearest even on the way down.
std::uint16_t to_bf16(float f) {
  const auto bits = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

float from_bf16(std::uint16_t h) { return std::bit_cast<float>(std::uint32_t{h} << 16); }

}  // namespace

void store_element(DType d, std::byte* base, std::size_t index, double value) {
  switch (d) {
    case DType::fp16:
      put(base, index, static_cast<_Float16>(static_cast<float>(value)));
      return;
    case DType::bf16:
      put(base, index, to_bf16(static_cast<float>(value)));
      return;
    case DType::fp64:
      put(base, index, value);
      return;
    default:
      put(base, index, static_cast<float>(value));
      return;
  }
}

double load_element(DType d, const std::byte* base, std::size_t index) {
  switch (d) {
    case DType::fp16:
      return static_cast<double>(static_cast<float>(get<_Float16>(base, index)));
    case DType::bf16:
      return static_cast<double>(from_bf16(get<std::uint16_t>(base, index)));
    case DType::fp64:
      return get<double>(base, index);
    default:
      return static_cast<double>(get<float>(base, index));
  }
}

}  // namespace gs
