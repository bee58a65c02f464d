#pragma once
#include <cstddef>
#include <cstdint>

#include "jobs/dtype.hpp"

namespace gs {

// Decoding of the narrow formats the device writes, done on the host from the raw bits, so that
// the reference check needs no CUDA headers and is testable without a GPU.
double decode_fp16(std::uint16_t bits);
double decode_bf16(std::uint16_t bits);
double decode_fp8_e4m3(std::uint8_t bits);  // OCP E4M3 (e4m3fn): no infinities, S.1111.111 is NaN

// One input element as stored for `dtype` (fp32 storage for tf32, e4m3 for fp8).
double decode_input(const std::byte* p, DType dtype);
// One output element: fp16, bf16, fp32; bf16 for fp8 (DType's output_bytes()).
double decode_output(const std::byte* p, DType dtype);

// Bit patterns of the same formats (round to nearest even), for tests and host-side fills.
std::uint16_t encode_fp16(float value);
std::uint16_t encode_bf16(float value);

}  // namespace gs
