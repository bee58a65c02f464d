#include "orchestrator/mpi_session.hpp"

#include <climits>
#include <stdexcept>

#include "diagnostics/api_error.hpp"
#include "orchestrator/mpi_check.hpp"

namespace gs {

std::string mpi_error_string(int code) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    return "MPI error code " + std::to_string(code);
  return std::string(text, static_cast<std::size_t>(length));
}

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = 0;
  MPI_CHECK(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided));
  MPI_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
  MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank_));
  MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size_));
  set_process_rank(rank_);
  if (provided < MPI_THREAD_FUNNELED)
    throw std::runtime_error("this MPI library does not provide MPI_THREAD_FUNNELED");
  MPI_CHECK(
      MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node_));
  MPI_CHECK(MPI_Comm_set_errhandler(node_, MPI_ERRORS_RETURN));
  MPI_CHECK(MPI_Comm_rank(node_, &node_rank_));
  MPI_CHECK(MPI_Comm_size(node_, &node_size_));
}

MpiSession::~MpiSession() {
  if (node_ != MPI_COMM_NULL) MPI_CHECK_NOTHROW(MPI_Comm_free(&node_));
  MPI_CHECK_NOTHROW(MPI_Finalize());
}

std::string MpiSession::library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  if (MPI_Get_library_version(text, &length) != MPI_SUCCESS) return "MPI (unknown version)";
  std::string s(text, static_cast<std::size_t>(length));
  const auto cut = s.find_first_of(",\n");
  return cut == std::string::npos ? s : s.substr(0, cut);
}

namespace {

int checked_int(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw std::length_error("message of " + std::to_string(n) + " bytes is too long for MPI");
  return static_cast<int>(n);
}

}  // namespace

void broadcast_string(MPI_Comm comm, std::string& text, int root) {
  unsigned long long length = text.size();
  MPI_CHECK(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, comm));
  text.resize(static_cast<std::size_t>(length));
  if (length > 0) MPI_CHECK(MPI_Bcast(text.data(), checked_int(text.size()), MPI_CHAR, root, comm));
}

namespace {

std::vector<std::string> gather_impl(MPI_Comm comm, const std::string& mine, int root, bool all) {
  int size = 0, rank = 0;
  MPI_CHECK(MPI_Comm_size(comm, &size));
  MPI_CHECK(MPI_Comm_rank(comm, &rank));
  const int my_length = checked_int(mine.size());
  std::vector<int> lengths(static_cast<std::size_t>(size));
  if (all)
    MPI_CHECK(MPI_Allgather(&my_length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm));
  else
    MPI_CHECK(MPI_Gather(&my_length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, comm));
  std::vector<int> offsets(static_cast<std::size_t>(size));
  std::size_t total = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    offsets[i] = checked_int(total);
    total += static_cast<std::size_t>(lengths[i]);
  }
  std::string joined(total, '\0');
  if (all) {
    MPI_CHECK(MPI_Allgatherv(mine.data(), my_length, MPI_CHAR, joined.data(), lengths.data(),
                             offsets.data(), MPI_CHAR, comm));
  } else {
    MPI_CHECK(MPI_Gatherv(mine.data(), my_length, MPI_CHAR, joined.data(), lengths.data(),
                          offsets.data(), MPI_CHAR, root, comm));
    if (rank != root) return {};
  }
  std::vector<std::string> out;
  out.reserve(lengths.size());
  for (std::size_t i = 0; i < lengths.size(); ++i)
    out.push_back(
        joined.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lengths[i])));
  return out;
}

}  // namespace

std::vector<std::string> gather_strings(MPI_Comm comm, const std::string& mine, int root) {
  return gather_impl(comm, mine, root, false);
}

std::vector<std::string> allgather_strings(MPI_Comm comm, const std::string& mine) {
  return gather_impl(comm, mine, 0, true);
}

RankError agree_on_error(MPI_Comm comm, const std::string& my_error, int my_code) {
  int rank = 0, size = 0;
  MPI_CHECK(MPI_Comm_rank(comm, &rank));
  MPI_CHECK(MPI_Comm_size(comm, &size));
  const int mine = my_error.empty() ? size : rank;
  int first = size;
  MPI_CHECK(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return {};
  RankError e;
  e.rank = first;
  e.message = rank == first ? my_error : std::string();
  e.code = my_code;
  broadcast_string(comm, e.message, first);
  MPI_CHECK(MPI_Bcast(&e.code, 1, MPI_INT, first, comm));
  return e;
}

}  // namespace gs
