#include "worker/nccl/nccl_collective_runner.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jobs/collective_message.hpp"
#include "worker/comm/collective_pattern.hpp"
#include "worker/comm/element_codec.hpp"
#include "worker/comm/group_sampling.hpp"
#include "worker/comm/result_verification.hpp"
#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/cuda_handles.hpp"
#include "worker/cuda/device_buffer.hpp"
#include "worker/cuda/device_props.hpp"

namespace gs {
namespace {

ncclDataType_t nccl_type(DType d) {
  switch (d) {
    case DType::fp16:
      return ncclFloat16;
    case DType::bf16:
      return ncclBfloat16;
    case DType::fp64:
      return ncclFloat64;
    default:
      return ncclFloat32;
  }
}

}  // namespace

NcclCollectiveRunner::NcclCollectiveRunner(int device_index)
    : device_(select_device(device_index)) {}

NcclCollectiveRunner::~NcclCollectiveRunner() {
  // Newest first, one at a time: std::vector leaves the order of its elements' destruction open.
  while (!communicators_.empty()) communicators_.pop_back();
}

std::string NcclCollectiveRunner::library() const {
  int version = 0;
  NCCL_CHECK(ncclGetVersion(&version));
  return fmt::format("NCCL {}.{}.{}", version / 10000, version / 100 % 100, version % 100);
}

NcclCommunicator& NcclCollectiveRunner::communicator(MPI_Comm group) {
  for (auto& [handle, comm] : communicators_)
    if (handle == group) return comm;
  // Collective on `group`; it throws on every member alike, leaving nothing behind.
  NcclCommunicator made(group);
  return communicators_.emplace_back(group, std::move(made)).second;
}

Measurement NcclCollectiveRunner::measure(const Task& task, MPI_Comm group,
                                          const TimingSettings& timing) {
  int group_rank = 0, group_size = 0;
  MPI_Comm_rank(group, &group_rank);
  MPI_Comm_size(group, &group_size);
  const DType dtype = task.point.dtype;
  const CollectivePattern pattern{task.op, static_cast<std::size_t>(message_elements(task.point)),
                                  group_size, group_rank};
  const auto element = static_cast<std::size_t>(input_bytes(dtype));
  const cudaStream_t stream = stream_.get();
  std::optional<DeviceBuffer> send_buffer, recv_buffer;
  std::string setup_error;
  try {
    select_device(device_);
    std::vector<std::byte> host(pattern.send_elements() * element);
    for (std::size_t i = 0; i < pattern.send_elements(); ++i)
      store_element(dtype, host.data(), i, pattern.send_value(i));
    send_buffer.emplace(host.size());
    recv_buffer.emplace(pattern.recv_elements() * element);
    // On the runner's stream, then waited for: a plain cudaMemcpy from pageable memory may
    // return before its DMA lands, on the legacy stream, which the non-blocking runner stream
    // does not wait for, so the first collective could read a part-copied buffer.
    if (!host.empty()) {
      CUDA_CHECK(cudaMemcpyAsync(send_buffer->get(), host.data(), host.size(),
                                 cudaMemcpyHostToDevice, stream));
      synchronize(stream);
    }
  } catch (const std::exception& e) {
    setup_error = e.what();
  }
  // Before the communicator, whose making is collective (MPI_Bcast, ncclCommInitRank): a member
  // that failed above would never enter it and leave the others blocked there.
  throw_unless_all_members_ready(group, setup_error);
  NcclCommunicator& comm = communicator(group);
  DeviceBuffer& send = *send_buffer;
  DeviceBuffer& recv = *recv_buffer;

  const ncclDataType_t type = nccl_type(dtype);
  const std::size_t chunk = pattern.chunk();
  const auto once = [&] {
    switch (task.op) {
      case Op::all_reduce:
        NCCL_CHECK(ncclAllReduce(send.get(), recv.get(), pattern.elements, type, ncclSum,
                                 comm.get(), stream));
        break;
      case Op::all_gather:
        NCCL_CHECK(ncclAllGather(send.get(), recv.get(), chunk, type, comm.get(), stream));
        break;
      case Op::reduce_scatter:
        NCCL_CHECK(
            ncclReduceScatter(send.get(), recv.get(), chunk, type, ncclSum, comm.get(), stream));
        break;
      case Op::broadcast:
        NCCL_CHECK(
            ncclBroadcast(send.get(), recv.get(), pattern.elements, type, 0, comm.get(), stream));
        break;
      case Op::all_to_all:
        NCCL_CHECK(ncclGroupStart());
        for (int peer = 0; peer < comm.size(); ++peer) {
          const std::size_t offset = static_cast<std::size_t>(peer) * chunk * element;
          NCCL_CHECK(ncclSend(send.bytes_ptr() + offset, chunk, type, peer, comm.get(), stream));
          NCCL_CHECK(ncclRecv(recv.bytes_ptr() + offset, chunk, type, peer, comm.get(), stream));
        }
        NCCL_CHECK(ncclGroupEnd());
        break;
      default:
        throw std::invalid_argument(fmt::format("{} is not a collective", to_string(task.op)));
    }
  };

  // The check first: a wrong result never gets timed into a row.
  once();
  std::vector<std::byte> back(recv.size());
  // On the stream the collective ran on, so that the copy reads what it wrote.
  if (!back.empty())
    CUDA_CHECK(
        cudaMemcpyAsync(back.data(), recv.get(), back.size(), cudaMemcpyDeviceToHost, stream));
  synchronize(stream);
  if (auto failed = verify_on_all_members(task, pattern, back.data(), comm.rank(), group))
    return *failed;

  const CudaEvent start = make_cuda_event(), stop = make_cuda_event();
  Measurement m = sample_in_group(group, timing, [&](int calls) {
    record(start.get(), stream);
    for (int i = 0; i < calls; ++i) once();
    record(stop.get(), stream);
    CUDA_CHECK(cudaEventSynchronize(stop.get()));
    return seconds_between(start.get(), stop.get());
  });
  m.compute_dtype = std::string(to_string(dtype));
  m.algo = library();
  return m;
}

}  // namespace gs
