#include "worker/cuda/gemm_plan.hpp"

#include "worker/cuda/cublas_gemm.hpp"

namespace gs {

void GemmPlan::launch(const GemmOperands& operands) const {
  if (lt)
    lt->run(*lt_algo, operands, libraries.lt_workspace, libraries.stream);
  else
    launch_cublas_gemm(libraries.cublas, dtype, shape, operands);
}

}  // namespace gs
