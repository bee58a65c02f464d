#pragma once
#include <cublasLt.h>

#include <memory>
#include <string>
#include <variant>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_libraries.hpp"
#include "worker/cuda/gemm_operands.hpp"
#include "worker/cuda/lt_matmul.hpp"

namespace gs {

// cublasGemmStridedBatchedEx, which picks its own kernel.
struct CublasGemmCall {};

// A cuBLASLt product with the algorithm it runs: the two exist only together.
struct LtGemmCall {
  std::unique_ptr<LtMatmul> matmul;  // never null
  cublasLtMatmulAlgo_t algo{};
};

// The product as it will be launched (see choose_gemm_plan).
struct GemmPlan {
  GemmLibraries libraries;
  DType dtype = DType::fp16;
  GemmShape shape;
  std::variant<CublasGemmCall, LtGemmCall> call;
  std::string algo;  // what Measurement::algo reports

  // Enqueues one product on the libraries' stream.
  void launch(const GemmOperands& operands) const;
};

}  // namespace gs
