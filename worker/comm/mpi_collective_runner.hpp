#pragma once
#include <mpi.h>

#include "worker/comm/collective_runner.hpp"

namespace gs {

// The cpu backend's collectives: MPI_Allreduce, MPI_Allgather, MPI_Reduce_scatter_block,
// MPI_Bcast (root 0) and MPI_Alltoall on host buffers, timed with MPI_Wtime. fp16 and bf16 move as
// 16-bit words and reduce through user operations that add in fp32, as NCCL does.
class MpiCollectiveRunner final : public CollectiveRunner {
 public:
  MpiCollectiveRunner() = default;
  ~MpiCollectiveRunner() override;
  MpiCollectiveRunner(const MpiCollectiveRunner&) = delete;
  MpiCollectiveRunner& operator=(const MpiCollectiveRunner&) = delete;

  Measurement measure(const Task& task, MPI_Comm group, const TimingSettings& timing) override;
  std::string library() const override;

 private:
  MPI_Op sum_op(DType d);

  MPI_Op fp16_sum_ = MPI_OP_NULL;
  MPI_Op bf16_sum_ = MPI_OP_NULL;
};

}  // namespace gs
