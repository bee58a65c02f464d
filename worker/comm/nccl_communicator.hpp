#pragma once
#include <mpi.h>
#include <nccl.h>

#include <stdexcept>
#include <utility>

#include "worker/comm/nccl_check.hpp"

namespace gs {

// One NCCL communicator over the members of an MPI communicator, bootstrapped over MPI: the
// group's first rank makes the unique id and broadcasts it on the group. Move-only.
class NcclCommunicator {
 public:
  explicit NcclCommunicator(MPI_Comm group) {
    int rank = 0, size = 0;
    MPI_Comm_rank(group, &rank);
    MPI_Comm_size(group, &size);
    // The id travels with whether making it worked, so that no member waits in ncclCommInitRank
    // for a first rank that failed.
    struct {
      ncclUniqueId id;
      int ok;
    } start{};
    const ncclResult_t made = rank == 0 ? ncclGetUniqueId(&start.id) : ncclSuccess;
    start.ok = made == ncclSuccess ? 1 : 0;
    MPI_Bcast(&start, sizeof start, MPI_BYTE, 0, group);
    if (made != ncclSuccess)
      ::gs::throw_api_error("NCCL", "ncclGetUniqueId(&start.id)", ncclGetErrorString(made),
                            __FILE__, __LINE__);
    if (!start.ok) throw std::runtime_error("ncclGetUniqueId failed on the group's first rank");
    NCCL_CHECK(ncclCommInitRank(&comm_, size, start.id, rank));
    rank_ = rank;
    size_ = size;
  }
  ~NcclCommunicator() {
    if (comm_ != nullptr) NCCL_CHECK_NOTHROW(ncclCommDestroy(comm_));
  }
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;
  NcclCommunicator(NcclCommunicator&& other) noexcept
      : comm_(std::exchange(other.comm_, nullptr)), rank_(other.rank_), size_(other.size_) {}
  NcclCommunicator& operator=(NcclCommunicator&& other) noexcept {
    std::swap(comm_, other.comm_);
    std::swap(rank_, other.rank_);
    std::swap(size_, other.size_);
    return *this;
  }

  ncclComm_t get() const { return comm_; }
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  ncclComm_t comm_ = nullptr;
  int rank_ = 0, size_ = 0;
};

}  // namespace gs
