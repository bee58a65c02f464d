#include "worker/comm/nccl_collective_runner.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "jobs/collective_message.hpp"
#include "worker/comm/collective_pattern.hpp"
#include "worker/comm/element_codec.hpp"
#include "worker/comm/group_sampling.hpp"
#include "worker/comm/result_verification.hpp"
#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/cuda_event.hpp"
#include "worker/cuda/device_buffer.hpp"

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

int select_device(int device) {
  CUDA_CHECK(cudaSetDevice(device));
  return device;
}

}  // namespace

NcclCollectiveRunner::NcclCollectiveRunner(int device_index)
    : device_(select_device(device_index)) {}

std::string NcclCollectiveRunner::library() const {
  int version = 0;
  NCCL_CHECK(ncclGetVersion(&version));
  return fmt::format("NCCL {}.{}.{}", version / 10000, version / 100 % 100, version % 100);
}

NcclCommunicator& NcclCollectiveRunner::communicator(MPI_Comm group) {
  auto it = communicators_.find(group);
  if (it == communicators_.end()) it = communicators_.emplace(group, NcclCommunicator(group)).first;
  return it->second;
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
  NcclCommunicator* comm_ptr = nullptr;
  std::optional<DeviceBuffer> send_buffer, recv_buffer;
  std::string setup_error;
  try {
    CUDA_CHECK(cudaSetDevice(device_));
    comm_ptr = &communicator(group);
    std::vector<std::byte> host(pattern.send_elements() * element);
    for (std::size_t i = 0; i < pattern.send_elements(); ++i)
      store_element(dtype, host.data(), i, pattern.send_value(i));
    send_buffer.emplace(host.size());
    recv_buffer.emplace(pattern.recv_elements() * element);
    CUDA_CHECK(cudaMemcpy(send_buffer->get(), host.data(), host.size(), cudaMemcpyHostToDevice));
  } catch (const std::exception& e) {
    setup_error = e.what();
  }
  throw_unless_all_members_ready(group, setup_error);
  NcclCommunicator& comm = *comm_ptr;
  DeviceBuffer& send = *send_buffer;
  DeviceBuffer& recv = *recv_buffer;

  const ncclDataType_t type = nccl_type(dtype);
  const std::size_t chunk = pattern.chunk();
  const cudaStream_t stream = stream_.get();
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
  stream_.synchronize();
  std::vector<std::byte> back(recv.size());
  CUDA_CHECK(cudaMemcpy(back.data(), recv.get(), back.size(), cudaMemcpyDeviceToHost));
  if (auto failed = verify_on_all_members(task, pattern, back.data(), comm.rank(), group))
    return *failed;

  const CudaEvent start, stop;
  Measurement m = sample_in_group(group, timing, [&](int calls) {
    start.record(stream);
    for (int i = 0; i < calls; ++i) once();
    stop.record(stream);
    stop.synchronize();
    return stop.seconds_since(start);
  });
  m.compute_dtype = std::string(to_string(dtype));
  m.algo = library();
  return m;
}

}  // namespace gs
