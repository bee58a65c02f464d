#include <gtest/gtest.h>

#include <cmath>

#include "io/result_row.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/fault_injection.hpp"
#include "orchestrator/task_outcome.hpp"
#include "tests/worker/worker_test_support.hpp"

namespace gs {
namespace {

TEST(Wire, WorkItemsRoundTrip) {
  const std::vector<WorkItem> items = {{0, 1}, {7, 2}, {0xFFFFFFF0u, 3}};
  EXPECT_EQ(unpack_work(pack_work(items)), items);
  EXPECT_TRUE(unpack_work(pack_work({})).empty());
}

TEST(Wire, OutcomesRoundTripEveryField) {
  TaskOutcome a;
  a.item = {12, 2};
  a.kind = OutcomeKind::measured;
  a.started_unix = 1.7e9;
  a.elapsed_s = 0.25;
  a.measurement = testing::sample_measurement();
  a.measurement.status = TaskStatus::skipped;
  a.measurement.message = "does not fit: 90 GiB";
  a.measurement.stop_reason = "max_samples";
  a.measurement.after.power_w = std::numeric_limits<double>::quiet_NaN();  // not read
  TaskOutcome b;
  b.item = {3, 1};
  b.kind = OutcomeKind::threw;
  b.error = "CUBLAS_STATUS_ALLOC_FAILED";
  TaskOutcome c;
  c.item = {4, 1};
  c.kind = OutcomeKind::abandoned;

  const auto back = unpack_outcomes(pack_outcomes({a, b, c}));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].item, a.item);
  EXPECT_EQ(back[0].kind, OutcomeKind::measured);
  EXPECT_EQ(back[0].started_unix, a.started_unix);
  EXPECT_EQ(back[0].elapsed_s, a.elapsed_s);
  const Measurement& m = back[0].measurement;
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_EQ(m.message, a.measurement.message);
  EXPECT_EQ(m.samples, a.measurement.samples);
  EXPECT_EQ(m.time_s, a.measurement.time_s);
  EXPECT_EQ(m.time_min_s, a.measurement.time_min_s);
  EXPECT_EQ(m.time_mean_s, a.measurement.time_mean_s);
  EXPECT_EQ(m.time_std_s, a.measurement.time_std_s);
  EXPECT_EQ(m.rel_ci, a.measurement.rel_ci);
  EXPECT_TRUE(m.converged);
  EXPECT_EQ(m.launches_per_sample, a.measurement.launches_per_sample);
  EXPECT_EQ(m.compute_dtype, a.measurement.compute_dtype);
  EXPECT_EQ(m.algo, a.measurement.algo);
  EXPECT_EQ(m.before.sm_clock_mhz, a.measurement.before.sm_clock_mhz);
  EXPECT_EQ(m.after.temperature_c, a.measurement.after.temperature_c);
  EXPECT_TRUE(std::isnan(m.after.power_w));
  EXPECT_EQ(m.stop_reason, "max_samples");
  // The row keeps the OR of the bits before and after, which is what travels.
  EXPECT_EQ(m.before.throttle_reasons | m.after.throttle_reasons,
            a.measurement.before.throttle_reasons | a.measurement.after.throttle_reasons);
  // Every column the table marks measured arrives as it left: the row rank 0 builds from the
  // unpacked measurement is the row the worker's measurement gives.
  const Task task;
  EXPECT_EQ(make_result_row(task, m, 1, "h", "d", 2, 1.7e9),
            make_result_row(task, a.measurement, 1, "h", "d", 2, 1.7e9));
  EXPECT_EQ(back[1].kind, OutcomeKind::threw);
  EXPECT_EQ(back[1].error, b.error);
  EXPECT_EQ(back[2].kind, OutcomeKind::abandoned);
  EXPECT_EQ(back[2].item, c.item);
}

TEST(Wire, TruncatedMessagesThrow) {
  TaskOutcome a;
  a.kind = OutcomeKind::threw;
  a.error = "x";
  std::string bytes = pack_outcomes({a});
  bytes.pop_back();
  EXPECT_THROW(unpack_outcomes(bytes), std::runtime_error);
  EXPECT_THROW(unpack_work(std::string("\x05\0\0\0", 4)), std::runtime_error);
}

TEST(Wire, DeviceInfoRoundTrips) {
  DeviceInfo d = testing::sample_device(5, "node7");
  d.threads = 3;  // a value other than the default, as a cpu rank sends it
  const DeviceInfo e = unpack_device_info(pack_device_info(d));
  EXPECT_EQ(e.backend, d.backend);
  EXPECT_EQ(e.name, d.name);
  EXPECT_EQ(e.uuid, d.uuid);
  EXPECT_EQ(e.host, d.host);
  EXPECT_EQ(e.rank, 5);
  EXPECT_EQ(e.compute_capability, "9.0");
  EXPECT_EQ(e.sm_count, 132);
  EXPECT_EQ(e.memory_bytes, d.memory_bytes);
  EXPECT_EQ(e.sm_clock_max_mhz, 1980);
  EXPECT_EQ(e.mem_clock_max_mhz, d.mem_clock_max_mhz);
  EXPECT_EQ(e.driver_version, d.driver_version);
  EXPECT_EQ(e.runtime_version, d.runtime_version);
  EXPECT_EQ(e.blas_version, d.blas_version);
  EXPECT_EQ(e.threads, 3);
}

TEST(FaultInjection, MatchesTaskAndRank) {
  const auto f = FaultInjection::parse("task=37,rank=1;task=40,everywhere");
  EXPECT_THROW(f.check(37, 1), std::runtime_error);
  EXPECT_NO_THROW(f.check(37, 0));
  EXPECT_NO_THROW(f.check(38, 1));
  EXPECT_THROW(f.check(40, 0), std::runtime_error);
  EXPECT_THROW(f.check(40, 9), std::runtime_error);
  try {
    f.check(37, 1);
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("task 37"), std::string::npos);
  }
}

TEST(FaultInjection, AnyTaskOnOneRank) {
  const auto f = FaultInjection::parse("task=*,rank=2");
  EXPECT_THROW(f.check(1, 2), std::runtime_error);
  EXPECT_THROW(f.check(999, 2), std::runtime_error);
  EXPECT_NO_THROW(f.check(1, 1));
}

TEST(FaultInjection, EmptyMeansNone) {
  EXPECT_TRUE(FaultInjection::parse("").empty());
  EXPECT_NO_THROW(FaultInjection::parse("").check(1, 0));
}

TEST(FaultInjection, MalformedRulesAreUsageErrors) {
  for (const char* bad : {"task=1", "rank=1", "task=x,rank=1", "task=1,rank=1,colour=red",
                          "task=1,rank=", "everywhere"})
    EXPECT_THROW(FaultInjection::parse(bad), UsageError) << bad;
}

TEST(ExitStatus, TheMostSeriousWins) {
  EXPECT_EQ(status_of_severity(exit_severity(ExitStatus::complete)), ExitStatus::complete);
  EXPECT_GT(exit_severity(ExitStatus::interrupted), exit_severity(ExitStatus::complete));
  EXPECT_GT(exit_severity(ExitStatus::failure), exit_severity(ExitStatus::interrupted));
  EXPECT_GT(exit_severity(ExitStatus::bad_input), exit_severity(ExitStatus::failure));
  for (ExitStatus s :
       {ExitStatus::complete, ExitStatus::failure, ExitStatus::bad_input, ExitStatus::interrupted})
    EXPECT_EQ(status_of_severity(exit_severity(s)), s);
}

}  // namespace
}  // namespace gs
