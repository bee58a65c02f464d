#include "worker/cuda/gemm_plan.hpp"

#include "worker/cuda/cublas_gemm.hpp"

namespace gs {

void GemmPlan::launch(const GemmOperands& operands) const {
  if (const auto* lt = std::get_if<LtGemmCall>(&call))
    lt->matmul->run(lt->algo, operands, libraries.lt_workspace, libraries.stream);
  else
    launch_cublas_gemm(libraries.cublas, dtype, shape, operands);
}

}  // namespace gs
