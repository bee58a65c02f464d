#include "worker/comm/mpi_collective_runner.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <vector>

#include "diagnostics/api_error.hpp"
#include "jobs/collective_message.hpp"
#include "worker/comm/collective_pattern.hpp"
#include "worker/comm/element_codec.hpp"
#include "worker/comm/group_sampling.hpp"
#include "worker/comm/result_verification.hpp"

#define GS_MPI_CALL(call)                                                                 \
  do {                                                                                    \
    const int gs_mpi_status_ = (call);                                                    \
    if (gs_mpi_status_ != MPI_SUCCESS)                                                    \
      ::gs::throw_api_error(::gs::ApiStatus{"MPI", gs_mpi_status_, false}, #call,         \
                            fmt::format("error {}", gs_mpi_status_), __FILE__, __LINE__); \
  } while (false)

namespace gs {
namespace {

template <DType D>
void sum_16bit(void* in, void* inout, int* len, MPI_Datatype*) {
  auto* a = static_cast<std::byte*>(in);
  auto* b = static_cast<std::byte*>(inout);
  for (std::size_t i = 0; i < static_cast<std::size_t>(*len); ++i)
    store_element(D, b, i, load_element(D, a, i) + load_element(D, b, i));
}

MPI_Datatype mpi_type(DType d) {
  switch (d) {
    case DType::fp64:
      return MPI_DOUBLE;
    case DType::fp16:
    case DType::bf16:
      return MPI_UINT16_T;
    default:
      return MPI_FLOAT;
  }
}

int as_count(std::size_t n) {
  if (n > static_cast<std::size_t>(INT32_MAX))
    throw std::invalid_argument(
        fmt::format("{} elements exceed what one MPI call moves (2^31 - 1)", n));
  return static_cast<int>(n);
}

}  // namespace

MpiCollectiveRunner::~MpiCollectiveRunner() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (fp16_sum_ != MPI_OP_NULL) MPI_Op_free(&fp16_sum_);
  if (bf16_sum_ != MPI_OP_NULL) MPI_Op_free(&bf16_sum_);
}

std::string MpiCollectiveRunner::library() const {
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  std::string text(version, static_cast<std::size_t>(length));
  const auto comma = text.find(',');
  return "MPI " + text.substr(0, comma);
}

MPI_Op MpiCollectiveRunner::sum_op(DType d) {
  if (d == DType::fp16) {
    if (fp16_sum_ == MPI_OP_NULL)
      GS_MPI_CALL(MPI_Op_create(&sum_16bit<DType::fp16>, 1, &fp16_sum_));
    return fp16_sum_;
  }
  if (d == DType::bf16) {
    if (bf16_sum_ == MPI_OP_NULL)
      GS_MPI_CALL(MPI_Op_create(&sum_16bit<DType::bf16>, 1, &bf16_sum_));
    return bf16_sum_;
  }
  return MPI_SUM;
}

Measurement MpiCollectiveRunner::measure(const Task& task, MPI_Comm group,
                                         const TimingSettings& timing) {
  int rank = 0, size = 0;
  GS_MPI_CALL(MPI_Comm_rank(group, &rank));
  GS_MPI_CALL(MPI_Comm_size(group, &size));
  const DType dtype = task.point.dtype;
  const CollectivePattern pattern{task.op, static_cast<std::size_t>(message_elements(task.point)),
                                  size, rank};
  const auto element = static_cast<std::size_t>(input_bytes(dtype));
  std::vector<std::byte> send, recv;
  std::string setup_error;
  try {
    send.resize(pattern.send_elements() * element);
    recv.resize(pattern.recv_elements() * element);
    for (std::size_t i = 0; i < pattern.send_elements(); ++i)
      store_element(dtype, send.data(), i, pattern.send_value(i));
  } catch (const std::exception& e) {
    setup_error = e.what();
  }
  throw_unless_all_members_ready(group, setup_error);

  const MPI_Datatype type = mpi_type(dtype);
  const MPI_Op sum = sum_op(dtype);
  const int chunk = as_count(pattern.chunk());
  const int all = as_count(pattern.elements);
  // Broadcast works in place: `recv` holds the root's data on the root.
  if (task.op == Op::broadcast) recv = send;
  const auto once = [&] {
    switch (task.op) {
      case Op::all_reduce:
        GS_MPI_CALL(MPI_Allreduce(send.data(), recv.data(), all, type, sum, group));
        break;
      case Op::all_gather:
        GS_MPI_CALL(MPI_Allgather(send.data(), chunk, type, recv.data(), chunk, type, group));
        break;
      case Op::reduce_scatter:
        GS_MPI_CALL(MPI_Reduce_scatter_block(send.data(), recv.data(), chunk, type, sum, group));
        break;
      case Op::broadcast:
        GS_MPI_CALL(MPI_Bcast(recv.data(), all, type, 0, group));
        break;
      case Op::all_to_all:
        GS_MPI_CALL(MPI_Alltoall(send.data(), chunk, type, recv.data(), chunk, type, group));
        break;
      default:
        throw std::invalid_argument(fmt::format("{} is not a collective", to_string(task.op)));
    }
  };

  // The check comes first, on fresh buffers: a wrong result never gets timed into a row.
  once();
  if (auto failed = verify_on_all_members(task, pattern, recv.data(), rank, group)) return *failed;

  Measurement m = sample_in_group(group, timing, [&](int calls) {
    const double start = MPI_Wtime();
    for (int i = 0; i < calls; ++i) once();
    return MPI_Wtime() - start;
  });
  m.compute_dtype =
      dtype == DType::fp16 || dtype == DType::bf16 ? "fp32" : std::string(to_string(dtype));
  m.algo = library();
  return m;
}

}  // namespace gs
