#pragma once
#include <cublasLt.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_operands.hpp"

namespace gs {

// One strided-batched product through cuBLASLt, in the same layout as launch_cublas_gemm
// (column-major C^T = B^T A^T, see column_major_call.hpp), for --autotune and for fp8, which only
// cuBLASLt runs: e4m3 inputs with B stored [batch][k][n] (the "TN" form fp8 kernels require), bf16
// output, fp32 accumulate, no scaling factors (all 1). The descriptors live as long as the object.
class LtMatmul {
 public:
  LtMatmul(cublasLtHandle_t handle, DType dtype, const GemmShape& shape,
           std::size_t workspace_bytes);
  ~LtMatmul();
  LtMatmul(const LtMatmul&) = delete;
  LtMatmul& operator=(const LtMatmul&) = delete;

  // Up to `count` algorithms the heuristic proposes for this product, best first; empty when
  // cuBLASLt has none (an fp8 shape that breaks the alignment rules, an old GPU).
  std::vector<cublasLtMatmulAlgo_t> candidates(int count) const;

  // Enqueues the product with `algo` on `stream`.
  void run(const cublasLtMatmulAlgo_t& algo, const GemmOperands& operands, void* workspace,
           cudaStream_t stream) const;

  std::size_t workspace_bytes() const { return workspace_bytes_; }

 private:
  struct Descriptors;
  cublasLtHandle_t handle_;
  std::size_t workspace_bytes_;
  std::unique_ptr<Descriptors> d_;
};

// "cublasLt algo 21 tile 128x256 stages 64x4 splitK 1 reduction 0 swizzle 1 cluster 2x1x1".
std::string describe_lt_algo(const cublasLtMatmulAlgo_t& algo);

// The largest power of two up to 256 dividing `bytes`.
unsigned alignment_of(std::size_t bytes);

// What cuBLASLt may assume about the alignment of every batch's matrix, batch i at
// base + i * stride_bytes, given a 256-byte aligned base (cudaMalloc's): with one batch only the
// base counts (256), with more alignment_of(stride_bytes).
unsigned batch_alignment(std::int64_t batch, std::size_t stride_bytes);

}  // namespace gs
