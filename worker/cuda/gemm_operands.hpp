#pragma once

namespace gs {

// Device pointers of one product in torch.bmm's row-major layout: A[batch][m][n], B[batch][n][k]
// (B[batch][k][n] for fp8, whose kernels need the reduction dimension contiguous in both inputs,
// as torch._scaled_mm does), C[batch][m][k].
struct GemmOperands {
  const void* a = nullptr;
  const void* b = nullptr;
  void* c = nullptr;
};

}  // namespace gs
