#include "worker/cuda/host_float.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "worker/bf16_bits.hpp"

namespace gs {

double decode_fp16(std::uint16_t bits) {
  const int sign = (bits >> 15) & 1;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double magnitude = 0;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<double>(mantissa), -24);  // subnormal: m * 2^-14 / 2^10
  else if (exponent == 0x1f)
    magnitude = mantissa == 0 ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
  else
    magnitude = std::ldexp(static_cast<double>(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

double decode_bf16(std::uint16_t bits) { return static_cast<double>(float_from_bf16_bits(bits)); }

double decode_fp8_e4m3(std::uint8_t bits) {
  const int sign = (bits >> 7) & 1;
  const int exponent = (bits >> 3) & 0xf;
  const int mantissa = bits & 0x7;
  double magnitude = 0;
  if (exponent == 0xf && mantissa == 0x7)
    magnitude = std::numeric_limits<double>::quiet_NaN();
  else if (exponent == 0)
    magnitude = std::ldexp(static_cast<double>(mantissa), -9);  // subnormal: m/8 * 2^-6
  else
    magnitude = std::ldexp(static_cast<double>(mantissa | 0x8), exponent - 10);  // bias 7, 3 bits
  return sign ? -magnitude : magnitude;
}

namespace {

template <typename T>
T load(const std::byte* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

}  // namespace

double decode_input(const std::byte* p, DType dtype) {
  switch (dtype) {
    case DType::fp16:
      return decode_fp16(load<std::uint16_t>(p));
    case DType::bf16:
      return decode_bf16(load<std::uint16_t>(p));
    case DType::fp32:
    case DType::tf32:
      return static_cast<double>(load<float>(p));
    case DType::fp8:
      return decode_fp8_e4m3(load<std::uint8_t>(p));
    case DType::fp64:
      return load<double>(p);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double decode_output(const std::byte* p, DType dtype) {
  return dtype == DType::fp8 ? decode_bf16(load<std::uint16_t>(p)) : decode_input(p, dtype);
}

std::uint16_t encode_bf16(float value) { return bf16_bits_from_float(value); }

std::uint16_t encode_fp16(float value) {
  // Through double, exactly: scale into the fp16 grid and round half to even with nearbyint.
  const std::uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  const double a = std::fabs(static_cast<double>(value));
  if (std::isnan(a)) return 0x7e00;
  if (a >= 65520.0) return static_cast<std::uint16_t>(sign | 0x7c00);  // rounds to infinity
  if (a < std::ldexp(1.0, -14)) {
    const auto m = static_cast<std::uint16_t>(std::nearbyint(std::ldexp(a, 24)));
    return static_cast<std::uint16_t>(sign | m);  // m == 0x400 carries into the smallest normal
  }
  int e = 0;
  const double fraction = std::frexp(a, &e);  // a = fraction * 2^e, fraction in [0.5, 1)
  auto m = static_cast<std::uint32_t>(std::nearbyint(std::ldexp(fraction, 11)));  // [1024, 2048]
  int biased = e - 1 + 15;
  if (m == 2048) {
    m = 1024;
    ++biased;
  }
  if (biased >= 31) return static_cast<std::uint16_t>(sign | 0x7c00);
  return static_cast<std::uint16_t>(sign | (biased << 10) | (m & 0x3ff));
}

}  // namespace gs
