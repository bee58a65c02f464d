#pragma once
#include <mpi.h>

#include <utility>
#include <vector>

#include "worker/comm/collective_runner.hpp"
#include "worker/cuda/cuda_handles.hpp"
#include "worker/nccl/nccl_communicator.hpp"

namespace gs {

// The cuda backend's collectives: NCCL on one device per rank, a communicator per group (made
// once, on the group's first use), timed with CUDA events on the runner's stream. all_to_all is
// grouped ncclSend / ncclRecv, as nccl-tests does it, so that it runs on any NCCL 2.
class NcclCollectiveRunner final : public CollectiveRunner {
 public:
  explicit NcclCollectiveRunner(int device_index);
  ~NcclCollectiveRunner() override;
  NcclCollectiveRunner(const NcclCollectiveRunner&) = delete;
  NcclCollectiveRunner& operator=(const NcclCollectiveRunner&) = delete;
  Measurement measure(const Task& task, MPI_Comm group, const TimingSettings& timing) override;
  std::string library() const override;

 private:
  NcclCommunicator& communicator(MPI_Comm group);

  int device_ = 0;
  CudaStream stream_ = make_cuda_stream();
  // In creation order: groups measure in lock-step, so every rank makes its communicators in the
  // order of one run-wide sequence, and releasing them in reverse keeps any two ranks in step.
  // That matters because releasing one waits for its other ranks on the host: an order of each
  // process's own (a map keyed by handle) could leave two ranks waiting on each other. Each is
  // found by its MPI communicator, which the orchestrator keeps for the whole run.
  std::vector<std::pair<MPI_Comm, NcclCommunicator>> communicators_;
};

}  // namespace gs
