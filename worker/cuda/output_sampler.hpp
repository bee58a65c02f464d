#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_operands.hpp"
#include "worker/cuda/result_check.hpp"

namespace gs {

// Copies `count` pseudo-random output elements C[b][i][j] back to the host with the row of A and
// the column of B each one needs (in the storage layout of GemmOperands), decoded to double:
// a few kilobytes per element, however large the product. Synchronises `stream`.
std::vector<SampledProduct> sample_products(const GemmShape& shape, DType dtype,
                                            const GemmOperands& operands, int count,
                                            std::uint64_t seed, cudaStream_t stream);

}  // namespace gs
