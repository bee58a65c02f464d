// The cuda backend's collectives (NCCL) under mpiexec with one rank per GPU: every op in bf16 and
// fp32 on a group of all ranks, a checked result and one agreed measurement on every member.
// Labelled gpu; registered only with GEMMSWEEP_DEVICE_TESTS (it needs 2 or more GPUs).
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>
#include <mpi.h>

#include "jobs/collective_message.hpp"
#include "worker/collective_runner_factory.hpp"

namespace gs {
namespace {

TEST(NcclCollectives, EveryOpIsCheckedOnAGroupOfAllRanks) {
  int rank = 0, size = 0, devices = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_EQ(cudaGetDeviceCount(&devices), cudaSuccess);
  ASSERT_GE(devices, size) << "one GPU per rank";
  const auto runner = make_collective_runner("cuda", rank);
  TimingSettings timing;
  timing.warmup = 2;
  timing.min_samples = 3;
  timing.max_samples = 10;
  for (Op op : kCollectiveOps)
    for (DType d : {DType::bf16, DType::fp32})
      for (std::int64_t elements : {std::int64_t{size} * 5, std::int64_t{1} << 22}) {
        Task task;
        task.op = op;
        task.point.dtype = d;
        task.point.message_bytes = elements * input_bytes(d);
        task.point.group_size = size;
        SCOPED_TRACE(std::string(to_string(op)) + " " + std::string(to_string(d)) + " " +
                     std::to_string(elements));
        const Measurement m = runner->measure(task, MPI_COMM_WORLD, timing);
        EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
        EXPECT_GT(m.time_s, 0);
        EXPECT_EQ(m.algo.rfind("NCCL", 0), 0u) << m.algo;
      }
}

}  // namespace
}  // namespace gs

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  int any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return any;
}
