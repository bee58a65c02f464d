#pragma once
#include <optional>
#include <string>

#include "jobs/gemm_shape.hpp"

namespace gs {

// Why cuBLASLt's fp8 kernels cannot run this product, or nothing: they need n and k (GemmShape's:
// the reduction, and C's row length) multiples of 16, m a multiple of 8, and every batch's A, B
// and C 16-byte aligned. For a shape outside these the heuristic may answer
// CUBLAS_STATUS_INVALID_VALUE rather than NOT_SUPPORTED, which reads as a failure, so the backend
// skips such tasks before asking it. Expects positive dimensions. Pure: tested on any host.
std::optional<std::string> fp8_shape_unsupported(const GemmShape& shape);

}  // namespace gs
