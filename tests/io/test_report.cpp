#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "io/report.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

ResultRow attention(std::int64_t head_dim, double tflops, const std::string& host = "node0",
                    int rank = 0) {
  ResultRow r;
  r.task_id = static_cast<std::uint64_t>(head_dim);
  r.op = "attention_score";
  r.dtype = "fp16";
  r.heads = 32;
  r.head_dim = head_dim;
  r.hidden_size = 32 * head_dim;
  r.seq_length = 2048;
  r.microbatch = 4;
  r.tensor_parallel = 1;
  r.batch = 128;
  r.m = 2048;
  r.n = head_dim;
  r.k = 2048;
  r.tflops = tflops;
  r.time_s = 1e-3;  // an ok row's time is finite and positive, or the report leaves it out
  r.status = "ok";
  r.converged = true;
  r.stop_reason = "converged";
  r.host = host;
  r.rank = rank;
  r.device = "NVIDIA A100";
  r.sm_clock_before_mhz = 1410;
  r.sm_clock_after_mhz = 1410;
  r.throttle_reasons = 0x1;  // idle only: not throttled
  return r;
}

// h/a = 1..8 and 64, 128 on two devices; classes 1, 2, 4, 8, 64.
ResultsFile small_file() {
  ResultsFile f;
  f.attributes = {{"job_name", "fig7a"},
                  {"backend", "cuda"},
                  {"created_utc", "2026-11-28T12:00:00Z"},
                  {"finished_utc", "2026-11-28T13:00:00Z"},
                  {"complete", "1"}};
  const double tflops[] = {10, 20, 12, 40, 14, 30, 16, 60};
  for (int d = 1; d <= 8; ++d) f.rows.push_back(attention(d, tflops[d - 1], "node0", 0));
  f.rows.push_back(attention(64, 200, "node1", 1));
  f.rows.push_back(attention(128, 195, "node1", 1));
  ResultRow slowed = attention(9, 5, "node1", 1);
  slowed.sm_clock_after_mhz = 1000;  // fell below 0.9 x 1410
  f.rows.push_back(slowed);
  ResultRow thermal = attention(11, 6, "node1", 1);
  thermal.throttle_reasons = 0x20;  // software thermal slowdown
  f.rows.push_back(thermal);
  ResultRow failed = attention(3000, 0);
  failed.status = "failed";
  f.rows.push_back(failed);
  ResultRow skipped = attention(3001, 0);
  skipped.status = "skipped";
  f.rows.push_back(skipped);
  ResultRow gemm;
  gemm.op = "gemm";
  gemm.status = "ok";
  gemm.m = gemm.n = gemm.k = 4096;
  gemm.tflops = 250;
  gemm.converged = true;
  gemm.time_s = 1e-3;
  gemm.host = "node0";
  gemm.device = "NVIDIA A100";
  f.rows.push_back(gemm);
  return f;
}

std::string render(const ResultsFile& f, ReportFormat format) {
  std::ostringstream out;
  write_report(f, format, out);
  return out.str();
}

TEST(Report, Pow2ClassAndThrottleRules) {
  EXPECT_EQ(pow2_class(1), 1);
  EXPECT_EQ(pow2_class(6), 2);
  EXPECT_EQ(pow2_class(8), 8);
  EXPECT_EQ(pow2_class(64), 64);
  EXPECT_EQ(pow2_class(128), 64);
  EXPECT_EQ(pow2_class(96), 32);
  EXPECT_EQ(pow2_class(0), 0);
  ResultRow r = attention(1, 1);
  EXPECT_FALSE(is_throttled(r));
  r.throttle_reasons = 0x2;
  EXPECT_FALSE(is_throttled(r));
  r.throttle_reasons = 0x4;
  EXPECT_TRUE(is_throttled(r));
  r = attention(1, 1);
  r.sm_clock_after_mhz = 1268;  // 0.899 x 1410
  EXPECT_TRUE(is_throttled(r));
}

TEST(Report, JsonHasEverySection) {
  const auto j = nlohmann::json::parse(render(small_file(), ReportFormat::json));
  EXPECT_EQ(j.at("status_counts").at("ok"), 13);
  EXPECT_EQ(j.at("status_counts").at("failed"), 1);
  EXPECT_EQ(j.at("status_counts").at("skipped"), 1);
  ASSERT_EQ(j.at("best").size(), 2u);
  EXPECT_EQ(j.at("best").at(0).at("op"), "attention_score");
  EXPECT_EQ(j.at("best").at(0).at("head_dim"), 64);
  EXPECT_EQ(j.at("worst").at(0).at("head_dim"), 9);
  EXPECT_EQ(j.at("best").at(1).at("op"), "gemm");
  // class 1: h/a 1, 3, 5, 7, 9, 11 -> (10 + 12 + 14 + 16 + 5 + 6) / 6
  const auto& classes = j.at("pow2_classes");
  ASSERT_EQ(classes.size(), 5u);
  EXPECT_EQ(classes.at(0).at("class"), 1);
  EXPECT_EQ(classes.at(0).at("rows"), 6);
  EXPECT_DOUBLE_EQ(classes.at(0).at("mean_tflops").get<double>(), 63.0 / 6);
  EXPECT_EQ(classes.at(4).at("class"), 64);
  EXPECT_DOUBLE_EQ(classes.at(4).at("mean_tflops").get<double>(), 197.5);
  // node0 rank 0 measured h/a 1..8 and the gemm, node1 rank 1 h/a 9, 11, 64, 128: no shape in
  // common, so no comparison (their medians, 20 and 100.5, would compare different work).
  EXPECT_TRUE(j.at("devices").empty());
  EXPECT_EQ(j.at("measuring_devices"), 2);
  EXPECT_THAT(j.at("device_note").get<std::string>(), HasSubstr("no shape was measured by more"));
  EXPECT_EQ(j.at("convergence").at("unconverged_rows"), 0);
  ASSERT_EQ(j.at("throttled").size(), 2u);
  EXPECT_EQ(j.at("throttled").at(0).at("head_dim"), 9);
  const auto& rec = j.at("recommendations").at(0);
  EXPECT_EQ(rec.at("op"), "attention_score");
  EXPECT_EQ(rec.at("best_class"), 64);
  EXPECT_EQ(rec.at("recommended_class"), 64);
  EXPECT_EQ(rec.at("head_dims"), nlohmann::json::array({64, 128}));  // 195 >= 0.95 x 200
  EXPECT_THAT(j.at("recommendation_rule").get<std::string>(), HasSubstr("within 5%"));
}

TEST(Report, TableNamesTheNumbers) {
  const std::string table = render(small_file(), ReportFormat::table);
  EXPECT_THAT(table, HasSubstr("status:  failed 1  ok 13  skipped 1"));
  EXPECT_THAT(table, HasSubstr("best     200.000  h=2048 a=32 h/a=64"));
  EXPECT_THAT(table, HasSubstr("class 64"));
  EXPECT_THAT(table, HasSubstr("throttled rows: 2"));
  EXPECT_THAT(table, HasSubstr("h/a a multiple of 64"));
  EXPECT_THAT(table, HasSubstr("gemm                         no head_dim axis"));
  EXPECT_THAT(table, HasSubstr("complete yes"));
}

TEST(Report, ACollectiveOnlyFileShowsBandwidthAndNoEmptyGemmSections) {
  ResultsFile f;
  f.attributes = {{"job_name", "comm"},
                  {"backend", "cpu"},
                  {"created_utc", "2026-11-28T12:00:00Z"},
                  {"finished_utc", "2026-11-28T13:00:00Z"},
                  {"complete", "1"}};
  ResultRow r;
  r.task_id = 1;
  r.op = "all_reduce";
  r.dtype = "fp32";
  r.status = "ok";
  r.message_bytes = 4096;
  r.group_size = 2;
  r.time_s = 1e-5;
  r.algbw_gbs = 0.4096;
  r.busbw_gbs = 0.4096;
  r.host = "node0";
  f.rows.push_back(r);
  const std::string table = render(f, ReportFormat::table);
  EXPECT_THAT(table, HasSubstr("collectives (median of ok rows"));
  EXPECT_THAT(table, HasSubstr("all_reduce"));
  for (const char* empty : {"best and worst", "power-of-two class", "devices on equal work",
                            "throttled rows", "recommendations"})
    EXPECT_THAT(table, ::testing::Not(HasSubstr(empty))) << table;
}

TEST(Report, CsvIsOneLongTable) {
  const std::string csv = render(small_file(), ReportFormat::csv);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "section,op,key,rows,tflops,detail");
  std::map<std::string, int> sections;
  while (std::getline(in, line)) ++sections[line.substr(0, line.find(','))];
  EXPECT_EQ(sections["status"], 3);
  EXPECT_EQ(sections["best"], 2);
  EXPECT_EQ(sections["worst"], 2);
  EXPECT_EQ(sections["pow2_class"], 5);
  EXPECT_EQ(sections["device"], 1);  // the note that the devices share no shape
  EXPECT_EQ(sections["throttled"], 2);
  EXPECT_EQ(sections["recommendation"], 2);
  EXPECT_THAT(csv, HasSubstr("pow2_class,attention_score,64,2,197.5,\n"));
}

TEST(Report, ReadsAWrittenFileAndAnEmptyOne) {
  testing::TempDir dir;
  const std::string path = dir.file("out.h5");
  testing::write_results_file(path, testing::sample_provenance(), small_file().rows);
  const auto j = nlohmann::json::parse(render(read_results_file(path), ReportFormat::json));
  EXPECT_EQ(j.at("status_counts").at("ok"), 13);
  EXPECT_EQ(j.at("run").at("job_name"), "attention-score-a32");
  const std::string empty = render(ResultsFile{}, ReportFormat::table);
  EXPECT_THAT(empty, HasSubstr("results: 0 rows"));
  EXPECT_NO_THROW(nlohmann::json::parse(render(ResultsFile{}, ReportFormat::json)));
}

TEST(Report, ParsesFormats) {
  EXPECT_EQ(parse_report_format("csv"), ReportFormat::csv);
  EXPECT_EQ(parse_report_format("json"), ReportFormat::json);
  EXPECT_EQ(parse_report_format("table"), ReportFormat::table);
  EXPECT_FALSE(parse_report_format("xml").has_value());
}

}  // namespace
}  // namespace gs
