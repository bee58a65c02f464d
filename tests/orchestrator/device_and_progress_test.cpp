#include <gtest/gtest.h>

#include "io/result_row.hpp"
#include "orchestrator/calibration.hpp"
#include "orchestrator/device_assignment.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/progress_meter.hpp"
#include "orchestrator/run_setup.hpp"

namespace gs {
namespace {

TEST(VisibleGpus, CudaVisibleDevicesWins) {
  EXPECT_EQ(visible_gpu_count("0,1,2,3", 8), 4);
  EXPECT_EQ(visible_gpu_count("2", 8), 1);
  EXPECT_EQ(visible_gpu_count("GPU-aaaa,GPU-bbbb", 8), 2);
  EXPECT_EQ(visible_gpu_count("", 8), 0);
  EXPECT_EQ(visible_gpu_count("NoDevFiles", 8), 0);
  EXPECT_EQ(visible_gpu_count("0,-1,2", 8), 1);  // CUDA stops at the first invalid entry
  EXPECT_EQ(visible_gpu_count("0,1,2", 2), 2);   // cannot see more than the node has
  EXPECT_EQ(visible_gpu_count(nullptr, 4), 4);
  EXPECT_EQ(visible_gpu_count(nullptr, std::nullopt), std::nullopt);
}

TEST(GpuForRank, SharedListGivesOneGpuPerRank) {
  const std::vector<std::string> seen(4, "<unset>");
  for (int r = 0; r < 4; ++r) EXPECT_EQ(gpu_for_rank(seen, r, 4, 1, "n1"), r);
}

TEST(GpuForRank, RanksPerGpuPack) {
  const std::vector<std::string> seen(4, "0,1");
  EXPECT_EQ(gpu_for_rank(seen, 0, 2, 2, "n1"), 0);
  EXPECT_EQ(gpu_for_rank(seen, 1, 2, 2, "n1"), 0);
  EXPECT_EQ(gpu_for_rank(seen, 2, 2, 2, "n1"), 1);
  EXPECT_EQ(gpu_for_rank(seen, 3, 2, 2, "n1"), 1);
}

TEST(GpuForRank, SlurmBindingGivesEachRankItsDeviceZero) {
  const std::vector<std::string> seen = {"0", "1", "2", "3"};
  for (int r = 0; r < 4; ++r) EXPECT_EQ(gpu_for_rank(seen, r, 1, 1, "n1"), 0);
}

TEST(GpuForRank, MoreRanksThanGpusIsAUsageError) {
  const std::vector<std::string> seen(5, "<unset>");
  try {
    gpu_for_rank(seen, 4, 4, 1, "node3");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("5 ranks on host node3"), std::string::npos) << what;
    EXPECT_NE(what.find("4 visible GPU"), std::string::npos) << what;
    EXPECT_NE(what.find("--ranks-per-gpu"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(gpu_for_rank(seen, 4, 4, 2, "node3"));
}

TEST(CollectivePlacement, NcclJobsNeedOneRankPerGpu) {
  JobSpec gemms;
  gemms.ops = {Op::attention_score};
  JobSpec mixed;
  mixed.ops = {Op::qkv_transform, Op::all_reduce};
  EXPECT_NO_THROW(check_collective_placement("cuda", gemms, 2));
  EXPECT_NO_THROW(check_collective_placement("cuda", mixed, 1));
  EXPECT_NO_THROW(check_collective_placement("cpu", mixed, 2));  // MPI shares a core happily
  try {
    check_collective_placement("cuda", mixed, 2);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--ranks-per-gpu 2"), std::string::npos) << what;
    EXPECT_NE(what.find("all_reduce"), std::string::npos) << what;
  }
}

TEST(CpuThreads, BoundRanksKeepTheirCpusOthersShare) {
  EXPECT_EQ(cpu_threads_for_rank(64, 64, 4), 16);
  EXPECT_EQ(cpu_threads_for_rank(2, 2, 4), 1);   // oversubscribed: never zero
  EXPECT_EQ(cpu_threads_for_rank(8, 64, 4), 8);  // Slurm bound 8 CPUs to this rank
  EXPECT_EQ(cpu_threads_for_rank(0, 16, 1), 16);
}

TEST(Progress, SaysDoneTotalRateEtaFailures) {
  const std::string line = format_progress({250, 1000, 3, 5, 10.0, std::nullopt});
  EXPECT_NE(line.find("250/1000"), std::string::npos) << line;
  EXPECT_NE(line.find("25.0%"), std::string::npos) << line;
  EXPECT_NE(line.find(", 25.0 tasks/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 30s"), std::string::npos) << line;
  EXPECT_NE(line.find("3 failed"), std::string::npos) << line;
  EXPECT_NE(line.find("5 retries"), std::string::npos) << line;
  EXPECT_NE(format_progress({10, 10, 0, 0, 4.0, std::nullopt}).find("took 4s"), std::string::npos);
  EXPECT_NE(format_progress({0, 10, 0, 0, 1.0, std::nullopt}).find("ETA ?"), std::string::npos);
  // A cost-based ETA, when there is one, replaces the count of tasks left.
  EXPECT_NE(format_progress({250, 1000, 0, 0, 10.0, 95.0}).find("ETA 1m35s"), std::string::npos);
}

TEST(Progress, RatesArePlainNumbers) {
  EXPECT_EQ(format_rate(94490.4), "94490");
  EXPECT_EQ(format_rate(41.24), "41.2");
  EXPECT_EQ(format_rate(2.236), "2.24");
  EXPECT_EQ(format_rate(0.125), "0.125");
  EXPECT_EQ(format_rate(0), "0.000");
  const std::string line = format_progress({94490, 100000, 0, 0, 1.0, std::nullopt});
  EXPECT_NE(line.find(", 94490 tasks/s"), std::string::npos) << line;  // not 9.449e+04
}

TEST(Progress, Durations) {
  EXPECT_EQ(format_duration(5), "5s");
  EXPECT_EQ(format_duration(91), "1m31s");
  EXPECT_EQ(format_duration(7500), "2h05m");
}

TEST(Progress, BatchLogGetsPlainLinesTerminalGetsCarriageReturns) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  ProgressMeter log(10, out, false, std::chrono::seconds(0));
  log.update(1, 0, 0);
  log.finish(10, 0, 0);
  ProgressMeter tty(10, out, true);
  tty.finish(10, 0, 0);
  std::fclose(out);
  const std::string s(text, size);
  std::free(text);
  EXPECT_NE(s.find("gemmsweep: 1/10 tasks"), std::string::npos) << s;
  EXPECT_NE(s.find("\rgemmsweep: 10/10 tasks"), std::string::npos) << s;
}

ResultRow calibration_row(int rank, const std::string& note, double tflops) {
  ResultRow r;
  r.status = std::string(kCalibrationStatus);
  r.rank = rank;
  r.host = "h";
  r.device = "GPU";
  r.message = note;
  r.tflops = tflops;
  return r;
}

TEST(Calibration, FlagsASlowGpuAndOneThatSlowedDown) {
  std::vector<ResultRow> rows = {
      calibration_row(0, "calibration start", 100), calibration_row(0, "calibration end", 99),
      calibration_row(1, "calibration start", 101), calibration_row(1, "calibration end", 90),
      calibration_row(2, "calibration start", 92),  calibration_row(2, "calibration end", 92),
  };
  rows.push_back(ResultRow{});  // an ordinary row is ignored
  const CalibrationSummary s = summarize_calibration(rows);
  EXPECT_EQ(s.devices, 3u);
  EXPECT_DOUBLE_EQ(s.median_tflops, 100);
  ASSERT_EQ(s.flags.size(), 2u);
  EXPECT_NE(s.flags[0].device.find("rank 1"), std::string::npos);
  EXPECT_NE(s.flags[0].problem.find("slowed down"), std::string::npos);
  EXPECT_NE(s.flags[1].device.find("rank 2"), std::string::npos);
  EXPECT_NE(s.flags[1].problem.find("slower than the median device"), std::string::npos);
  EXPECT_NE(render_calibration(s).find("WARNING"), std::string::npos);
}

TEST(Calibration, QuietWhenAllAgree) {
  const CalibrationSummary s = summarize_calibration(
      {calibration_row(0, "calibration start", 100), calibration_row(1, "calibration start", 98)});
  EXPECT_TRUE(s.flags.empty());
  EXPECT_EQ(render_calibration(summarize_calibration({})), "");
}

TEST(Calibration, IdsAreReservedAndDistinct) {
  const auto a = calibration_point_id(1'700'000'000, 0, false);
  const auto b = calibration_point_id(1'700'000'000, 0, true);
  const auto c = calibration_point_id(1'700'000'000, 1, false);
  const auto d = calibration_point_id(1'700'000'001, 0, false);
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_GE(a, kCalibrationPointBase);
  EXPECT_LT(a, UINT64_MAX / kOpSlots) << "task_id(point, op) = point * 32 + op must not overflow";
  const Task t = calibration_task(DType::fp16, "cuda");
  EXPECT_EQ(t.shape.batch, 4 * 32);
  EXPECT_EQ(t.shape.m, 2048);
  EXPECT_EQ(t.shape.n, 128);
}

}  // namespace
}  // namespace gs
