#pragma once
#include <mpi.h>

#include <map>

#include "worker/comm/collective_runner.hpp"
#include "worker/comm/nccl_communicator.hpp"
#include "worker/cuda/cuda_stream.hpp"

namespace gs {

// The cuda backend's collectives: NCCL on one device per rank, a communicator per group (made
// once, on the group's first use), timed with CUDA events on the runner's stream. all_to_all is
// grouped ncclSend / ncclRecv, as nccl-tests does it, so that it runs on any NCCL 2.
class NcclCollectiveRunner final : public CollectiveRunner {
 public:
  explicit NcclCollectiveRunner(int device_index);
  Measurement measure(const Task& task, MPI_Comm group, const TimingSettings& timing) override;
  std::string library() const override;

 private:
  NcclCommunicator& communicator(MPI_Comm group);

  int device_ = 0;
  CudaStream stream_;
  // Keyed by the MPI communicator, which the orchestrator keeps for the run's whole length.
  std::map<MPI_Comm, NcclCommunicator> communicators_;
};

}  // namespace gs
