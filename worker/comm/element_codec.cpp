#include "worker/comm/element_codec.hpp"

#include <cstring>

#include "worker/bf16_bits.hpp"

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

}  // namespace

void store_element(DType d, std::byte* base, std::size_t index, double value) {
  switch (d) {
    case DType::fp16:
      put(base, index, static_cast<_Float16>(static_cast<float>(value)));
      return;
    case DType::bf16:
      put(base, index, bf16_bits_from_float(static_cast<float>(value)));
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
      return static_cast<double>(float_from_bf16_bits(get<std::uint16_t>(base, index)));
    case DType::fp64:
      return get<double>(base, index);
    default:
      return static_cast<double>(get<float>(base, index));
  }
}

}  // namespace gs
