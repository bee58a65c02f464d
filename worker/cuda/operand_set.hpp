#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/device_buffer.hpp"
#include "worker/cuda/gemm_operands.hpp"

namespace gs {

// A, B and C of one product, allocated and filled together.
struct OperandSet {
  DeviceBuffer a, b, c;
  GemmOperands operands() const { return {a.get(), b.get(), c.get()}; }
};

std::size_t input_elements_a(const GemmShape& s);
std::size_t input_elements_b(const GemmShape& s);
std::size_t output_elements(const GemmShape& s);
// Device bytes of one OperandSet.
std::size_t operand_set_bytes(const GemmShape& s, DType dtype);

// Allocates a set and fills A and B with uniform values from `seed` (B from splitmix64(seed)) and C
// with zeros, asynchronously on `stream`.
OperandSet make_operand_set(const GemmShape& s, DType dtype, std::uint64_t seed,
                            cudaStream_t stream);

}  // namespace gs
