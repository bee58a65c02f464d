#pragma once
#include <mpi.h>
#include <nccl.h>

#include <stdexcept>
#include <utility>

#include "worker/comm/group_sampling.hpp"
#include "worker/nccl/nccl_check.hpp"

namespace gs {

// One NCCL communicator over the members of an MPI communicator, bootstrapped over MPI: the
// group's first rank makes the unique id and broadcasts it on the group. Move-only.
//
// Making one is collective: every member must construct it at the same time, and only once the
// whole group has agreed that it is ready (ncclCommInitRank waits for every member, so one that
// failed before it would leave the others blocked inside it). Either every member gets a
// communicator or every member throws.
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

    const ncclResult_t init = ncclCommInitRank(&comm_, size, start.id, rank);
    // A member whose init returned an error may have returned before the others (an argument or
    // device check): the group agrees on the result so that none keeps a communicator that its
    // peers lack, and none goes on to a collective that a peer never enters.
    if (all_members_agree(group, init == ncclSuccess)) {
      rank_ = rank;
      size_ = size;
      return;
    }
    // Abort, not destroy: destroy waits for the communicator's other ranks on this host, which
    // the members whose init failed never do. Abort frees the local resources alone, and takes
    // a communicator whose init failed too (blocking init can leave one behind).
    if (comm_ != nullptr) NCCL_CHECK_NOTHROW(ncclCommAbort(std::exchange(comm_, nullptr)));
    if (init != ncclSuccess)
      ::gs::throw_api_error("NCCL", "ncclCommInitRank(&comm_, size, start.id, rank)",
                            ncclGetErrorString(init), __FILE__, __LINE__);
    throw std::runtime_error("ncclCommInitRank failed on another member of the group");
  }
  // Blocks until the communicator's other ranks on this host finalize it too (NCCL's intra-node
  // barrier), so that every rank must release overlapping communicators in the same order.
  ~NcclCommunicator() { release(); }
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
  void release() noexcept {
    if (comm_ == nullptr) return;
    ncclComm_t comm = std::exchange(comm_, nullptr);
#if NCCL_VERSION_CODE >= NCCL_VERSION(2, 14, 0)
    // NCCL's order: finalize (flushes outstanding work; blocking on a blocking communicator),
    // then destroy, which then frees local resources only. A failed finalize leaves the
    // communicator in an error state, which only abort is sure to free.
    const ncclResult_t finalized = ncclCommFinalize(comm);
    if (finalized != ncclSuccess) {
      ::gs::report_api_error("NCCL", "ncclCommFinalize(comm)", ncclGetErrorString(finalized),
                             __FILE__, __LINE__);
      NCCL_CHECK_NOTHROW(ncclCommAbort(comm));
      return;
    }
#endif
    NCCL_CHECK_NOTHROW(ncclCommDestroy(comm));
  }

  ncclComm_t comm_ = nullptr;
  int rank_ = 0, size_ = 0;
};

}  // namespace gs
