#pragma once
#include <mpi.h>

#include <string>
#include <vector>

namespace gs {

// MPI for the lifetime of one `gemmsweep run`: initialised on construction, finalised on
// destruction. Started without mpirun, Open MPI runs as a singleton (one rank), so `run` is serial
// with the same code path.
//
// Thread level: MPI_THREAD_FUNNELED. Only the main thread of each rank calls MPI. On rank 0 the
// main thread is the scheduler and a second thread measures (see coordinator.hpp), and that
// thread never calls MPI, which is what FUNNELED promises.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  MPI_Comm world() const { return MPI_COMM_WORLD; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ranks sharing this node's memory, numbered from 0 (MPI_COMM_TYPE_SHARED).
  MPI_Comm node() const { return node_; }
  int node_rank() const { return node_rank_; }
  int node_size() const { return node_size_; }

  // "Open MPI v4.1.4, ..." first line of MPI_Get_library_version.
  static std::string library_version();

 private:
  int rank_ = 0;
  int size_ = 1;
  MPI_Comm node_ = MPI_COMM_NULL;
  int node_rank_ = 0;
  int node_size_ = 1;
};

// Collective helpers over a communicator. Strings travel as a length then bytes.
void broadcast_string(MPI_Comm comm, std::string& text, int root);
// Every rank's bytes, on root only (other ranks get an empty vector).
std::vector<std::string> gather_strings(MPI_Comm comm, const std::string& mine, int root);
// Every rank's bytes on every rank.
std::vector<std::string> allgather_strings(MPI_Comm comm, const std::string& mine);

// The first rank with a non-empty error, and its message, on every rank; rank -1 when none.
struct RankError {
  int rank = -1;
  std::string message;
  int code = 0;  // the ExitStatus of that error as an int
};
RankError agree_on_error(MPI_Comm comm, const std::string& my_error, int my_code);

}  // namespace gs
