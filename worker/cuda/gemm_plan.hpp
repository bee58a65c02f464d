#pragma once
#include <cublasLt.h>

#include <memory>
#include <optional>
#include <string>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_libraries.hpp"
#include "worker/cuda/gemm_operands.hpp"
#include "worker/cuda/lt_matmul.hpp"

namespace gs {

// The product as it will be launched: cublasGemmStridedBatchedEx, or cuBLASLt with a chosen
// algorithm (see choose_gemm_plan).
struct GemmPlan {
  GemmLibraries libraries;
  DType dtype = DType::fp16;
  GemmShape shape;
  std::unique_ptr<LtMatmul> lt;  // null for cublasGemmStridedBatchedEx
  std::optional<cublasLtMatmulAlgo_t> lt_algo;
  std::string algo;  // what Measurement::algo reports

  // Enqueues one product on the libraries' stream.
  void launch(const GemmOperands& operands) const;
};

}  // namespace gs
