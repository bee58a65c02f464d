// The cpu backend's collectives under a real mpiexec with 4 ranks: groups of 2 and of 4, every
// op and dtype, a checked result (status ok) and one agreed measurement on every member.
#include <gtest/gtest.h>
#include <mpi.h>

#include "jobs/collective_message.hpp"
#include "worker/collective_runner_factory.hpp"
#include "worker/comm/group_sampling.hpp"

namespace gs {
namespace {

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

class Group {
 public:
  explicit Group(int size) {
    const int r = world_rank();
    MPI_Comm_split(MPI_COMM_WORLD, r / size, r, &comm_);
  }
  ~Group() { MPI_Comm_free(&comm_); }
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  MPI_Comm get() const { return comm_; }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
};

Task collective(Op op, DType d, std::int64_t bytes, std::int64_t group) {
  Task t;
  t.op = op;
  t.point.dtype = d;
  t.point.message_bytes = bytes;
  t.point.group_size = group;
  return t;
}

TimingSettings quick() {
  TimingSettings t;
  t.warmup = 1;
  t.min_samples = 3;
  t.max_samples = 6;
  t.max_seconds_per_point = 60;  // far off: min_samples and max_samples decide, not the load
  return t;
}

double spread(MPI_Comm comm, double value) {
  double lo = 0, hi = 0;
  MPI_Allreduce(&value, &lo, 1, MPI_DOUBLE, MPI_MIN, comm);
  MPI_Allreduce(&value, &hi, 1, MPI_DOUBLE, MPI_MAX, comm);
  return hi - lo;
}

TEST(MpiCollectives, RunsWithFourRanks) {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_EQ(size, 4) << "run under mpiexec -n 4";
}

TEST(MpiCollectives, EveryOpAndDtypeIsCheckedAndAgreedInGroupsOfTwoAndFour) {
  const auto runner = make_collective_runner("cpu", 0);
  for (int group_size : {2, 4}) {
    const Group group(group_size);
    for (Op op : kCollectiveOps)
      for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::fp64})
        for (std::int64_t elements : {std::int64_t{12}, std::int64_t{1} << 17}) {
          const Task task = collective(op, d, elements * input_bytes(d), group_size);
          ASSERT_EQ(collective_skip_reason(op, task.point), "");
          const Measurement m = runner->measure(task, group.get(), quick());
          SCOPED_TRACE(std::string(to_string(op)) + " " + std::string(to_string(d)) + " group " +
                       std::to_string(group_size) + " elements " + std::to_string(elements));
          EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
          EXPECT_GE(m.samples, 3);
          EXPECT_LE(m.samples, 6);
          EXPECT_GT(m.time_s, 0);
          EXPECT_GE(m.launches_per_sample, 1);
          EXPECT_EQ(m.algo.rfind("MPI", 0), 0u) << m.algo;
          // Every member got the same measurement, so each could write the row.
          EXPECT_EQ(spread(group.get(), m.time_s), 0.0);
          EXPECT_EQ(spread(group.get(), m.samples), 0.0);
        }
  }
}

TEST(MpiCollectives, AllMembersAgreeOnlyWhenEveryoneAgrees) {
  const Group group(4);
  EXPECT_TRUE(all_members_agree(group.get(), true));
  EXPECT_FALSE(all_members_agree(group.get(), world_rank() != 2));
}

TEST(MpiCollectives, ModelBackendHasNoCollectives) {
  EXPECT_TRUE(has_collective_runner("cpu"));
  EXPECT_FALSE(has_collective_runner("model"));
  EXPECT_THROW(make_collective_runner("model", 0), std::invalid_argument);
}

}  // namespace
}  // namespace gs

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // One rank's report is enough; every rank still runs and asserts.
  if (rank != 0)
    delete ::testing::UnitTest::GetInstance()->listeners().Release(
        ::testing::UnitTest::GetInstance()->listeners().default_result_printer());
  const int failed = RUN_ALL_TESTS();
  int any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return any;
}
