// report: rows the stopping rule did not let converge, devices compared on equal work only,
// and typed JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/report.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

ResultRow row(std::int64_t head_dim, double tflops, bool converged, double rel_ci,
              const std::string& stop_reason, int rank = 0) {
  ResultRow r;
  r.task_id = static_cast<std::uint64_t>(head_dim * 10 + rank);
  r.op = "attention_score";
  r.dtype = "fp32";
  r.heads = 32;
  r.head_dim = head_dim;
  r.batch = 32;
  r.m = r.k = 256;
  r.n = head_dim;
  r.tflops = tflops;
  r.time_s = 1e-3;  // an ok row without a positive time is screened out by report
  r.status = "ok";
  r.converged = converged;
  r.rel_ci = rel_ci;
  r.stop_reason = stop_reason;
  r.host = "node0";
  r.rank = rank;
  r.device = "cpu";
  return r;
}

std::string render(const ResultsFile& f, ReportFormat format) {
  std::ostringstream out;
  write_report(f, format, out);
  return out.str();
}

// h/a 1, 3 (class 1), 2 (class 2), 64 (class 64): two of class 1 and the class 64 row were cut
// by a limit, one of them with too few samples for any interval (rel_ci infinite).
ResultsFile unconverged_file() {
  ResultsFile f;
  f.attributes = {{"job_name", "demo"}, {"complete", "1"}, {"ranks", "2"}};
  const double inf = std::numeric_limits<double>::infinity();
  f.rows = {row(1, 1.0, false, 0.157, "max_samples"), row(3, 1.1, false, inf, "max_samples"),
            row(5, 1.2, true, 0.01, "converged"), row(2, 2.0, true, 0.02, "converged"),
            row(64, 9.0, false, 0.08, "max_seconds_per_point")};
  ResultRow skipped = row(7, 0, false, 0, "");
  skipped.status = "skipped";  // not measured: not counted as unconverged
  f.rows.push_back(skipped);
  return f;
}

TEST(ReportConvergence, CountsUnconvergedRowsPerOpAndClassWithWorstCiAndStopReason) {
  const auto j = nlohmann::json::parse(render(unconverged_file(), ReportFormat::json));
  const auto& c = j.at("convergence");
  EXPECT_EQ(c.at("ok_rows"), 5);
  EXPECT_EQ(c.at("unconverged_rows"), 3);
  ASSERT_EQ(c.at("groups").size(), 2u);  // class 2 converged: not listed
  const auto& class1 = c.at("groups").at(0);
  EXPECT_EQ(class1.at("class"), 1);
  EXPECT_EQ(class1.at("rows"), 3);
  EXPECT_EQ(class1.at("unconverged"), 2);
  EXPECT_TRUE(class1.at("worst_rel_ci").is_null());  // infinite: JSON has no infinity
  EXPECT_EQ(class1.at("stop_reasons").at("max_samples"), 2);
  const auto& class64 = c.at("groups").at(1);
  EXPECT_EQ(class64.at("class"), 64);
  EXPECT_DOUBLE_EQ(class64.at("worst_rel_ci").get<double>(), 0.08);
  EXPECT_EQ(class64.at("stop_reasons").at("max_seconds_per_point"), 1);
}

TEST(ReportConvergence, TheTableSaysHowManyDidNotConvergeAndWhy) {
  const std::string table = render(unconverged_file(), ReportFormat::table);
  EXPECT_THAT(table, HasSubstr("not converged: 3 of 5 ok rows (60.0%)"));
  EXPECT_THAT(table,
              HasSubstr("class  1       2 of      3 rows  worst rel_ci      inf  max_samples 2"));
  EXPECT_THAT(table, HasSubstr("max_seconds_per_point 1"));
  const std::string csv = render(unconverged_file(), ReportFormat::csv);
  EXPECT_THAT(csv, HasSubstr("unconverged,attention_score,64,1,,"));
}

TEST(ReportConvergence, AFileWhereEveryRowConvergedSaysSo) {
  ResultsFile f;
  f.rows = {row(1, 1.0, true, 0.01, "converged"), row(2, 2.0, true, 0.02, "converged")};
  EXPECT_THAT(render(f, ReportFormat::table), HasSubstr("all 2 ok rows met the stopping rule"));
}

TEST(ReportDevices, ComparesDevicesOnlyOnShapesSeveralMeasured) {
  ResultsFile f;
  // Rank 0 measured h/a 1, 2, 64; rank 1 h/a 2, 64 and 128 (128 only by rank 1: left out).
  // On the shared shapes rank 1 is 10% slower; its median over all rows would look faster.
  f.rows = {row(1, 1.0, true, 0, "converged", 0),   row(2, 10.0, true, 0, "converged", 0),
            row(64, 50.0, true, 0, "converged", 0), row(2, 9.0, true, 0, "converged", 1),
            row(64, 45.0, true, 0, "converged", 1), row(128, 300.0, true, 0, "converged", 1)};
  const auto j = nlohmann::json::parse(render(f, ReportFormat::json));
  const auto& devices = j.at("devices");
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices.at(0).at("rank"), 0);
  EXPECT_EQ(devices.at(0).at("shared_shapes"), 2);
  EXPECT_EQ(devices.at(1).at("shared_shapes"), 2);
  // Per shape the typical value is the median of 10 and 9 (9.5), of 50 and 45 (47.5).
  EXPECT_NEAR(devices.at(0).at("relative_speed").get<double>(), 10.0 / 9.5, 1e-12);
  EXPECT_NEAR(devices.at(1).at("relative_speed").get<double>(), 9.0 / 9.5, 1e-12);
  EXPECT_EQ(j.at("device_note"), "");
  EXPECT_THAT(render(f, ReportFormat::table), HasSubstr("devices on equal work"));
}

TEST(ReportDevices, CalibrationRowsAreSharedWork) {
  ResultsFile f;
  f.rows = {row(1, 1.0, true, 0, "converged", 0), row(3, 2.0, true, 0, "converged", 1)};
  for (int rank : {0, 1}) {
    ResultRow calib = row(128, rank == 0 ? 100.0 : 80.0, true, 0, "converged", rank);
    calib.status = "calib";
    f.rows.push_back(calib);
  }
  const auto j = nlohmann::json::parse(render(f, ReportFormat::json));
  ASSERT_EQ(j.at("devices").size(), 2u);
  EXPECT_EQ(j.at("devices").at(1).at("shared_shapes"), 1);
  EXPECT_NEAR(j.at("devices").at(1).at("relative_speed").get<double>(), 80.0 / 90.0, 1e-12);
}

TEST(ReportDevices, SaysWhenDevicesShareNoShape) {
  ResultsFile f;
  f.rows = {row(1, 1.0, true, 0, "converged", 0), row(3, 2.0, true, 0, "converged", 1)};
  const std::string table = render(f, ReportFormat::table);
  EXPECT_THAT(table, HasSubstr("devices: 2 devices measured, but no shape was measured by more"));
  EXPECT_THAT(table, ::testing::Not(HasSubstr("devices on equal work")));
}

TEST(ReportJson, RunValuesAreTyped) {
  const auto j = nlohmann::json::parse(render(unconverged_file(), ReportFormat::json));
  const auto& run = j.at("run");
  EXPECT_TRUE(run.at("complete").is_boolean());
  EXPECT_EQ(run.at("complete"), true);
  EXPECT_EQ(run.at("rows"), 6);
  EXPECT_EQ(run.at("ranks"), 2);
  EXPECT_EQ(run.at("job_name"), "demo");
  // Rows carry every column, typed.
  const auto& best = j.at("best").at(0);
  EXPECT_TRUE(best.at("converged").is_boolean());
  EXPECT_TRUE(best.at("tflops").is_number_float());
  EXPECT_TRUE(best.at("head_dim").is_number_integer());
  EXPECT_EQ(best.at("stop_reason"), "max_seconds_per_point");
}

}  // namespace
}  // namespace gs
