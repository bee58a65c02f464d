// Issue 17, the readers under attack: forged, damaged, foreign and odd files, and inputs at the
// edges of what the job file and the options allow. Each test failed on the binary before the fix.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hostile_fixture.hpp"
#include "io/results_file.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

std::size_t provenance_entries(const std::string& path) {
  return read_results_file(path).provenance.size();
}

// 17.5: an unknown or missing format_version is refused by every reader, naming it and what
// this build reads (they all exited 0, and merge relabelled the output).
TEST_F(Hostile, AnUnknownOrMissingFormatVersionIsRefused) {
  const std::string v99 = complete_file("v99.h5"), none = complete_file("none.h5");
  ForgedFile(v99).set_int_attribute("format_version", 99);
  ForgedFile(none).delete_attribute("format_version");
  for (const auto& [file, needle] :
       {std::pair{v99, std::string("format_version 99")}, {none, "no format_version"}}) {
    SCOPED_TRACE(file);
    expect_one_error_line(gemmsweep({"report", file}), {needle, "reads format_version 2"});
    expect_one_error_line(run_model(file, {"--resume"}), {needle});
    expect_one_error_line(gemmsweep({"merge", "-o", path("m.h5"), file}), {needle});
    EXPECT_FALSE(fs::exists(path("m.h5")));
  }
}

// 17.6: --resume validates the whole file first: one line, exit 2, and nothing appended (it
// exited 1 with a raw HDF5 call and grew the provenance at every retry).
TEST_F(Hostile, ResumeOfADamagedFileIsRefusedBeforeWritingAnything) {
  const std::string out = complete_file("d.h5");
  ForgedFile(out).delete_attribute("complete");
  for (int attempt = 0; attempt < 2; ++attempt)
    expect_one_error_line(run_model(out, {"--resume"}), {"'complete'", "d.h5"});
  EXPECT_EQ(provenance_entries(out), 1u);

  const std::string group = complete_file("g.h5");
  ForgedFile(group).replace_results_with_group();
  expect_one_error_line(run_model(group, {"--resume"}), {"/results is not a dataset"});
  expect_one_error_line(gemmsweep({"report", group}), {"/results is not a dataset"});

  const std::string flat = complete_file("2d.h5");
  ForgedFile(flat).replace_results_with_2d();
  expect_one_error_line(run_model(flat, {"--resume"}), {"/results has 2 dimension(s)"});
}

// 17.9: a FIFO is refused at once by report, merge and --resume (they blocked until killed).
TEST_F(Hostile, AFifoIsNotAResultsFile) {
  const std::string fifo = path("f.h5");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  expect_one_error_line(gemmsweep({"report", fifo}), {"not a regular file"});
  expect_one_error_line(gemmsweep({"merge", "-o", path("m.h5"), fifo}), {"not a regular file"});
  expect_one_error_line(run_model(fifo, {"--resume"}), {"not a regular file"});
}

// 17.10: forged rows are not trusted: NaN and negative times and duplicate task ids are left out
// and said, and a file that claims to be complete without every row is not called complete.
TEST_F(Hostile, ReportLeavesOutForgedRowsAndSaysSo) {
  const std::string out = complete_file("f.h5");
  const std::uint64_t fourth_task = read_results_file(out).rows[3].task_id;
  {
    ForgedFile f(out);
    f.set_double_field(0, "time_s", std::nan(""));
    f.set_double_field(1, "time_s", -1);
    f.set_double_field(2, "tflops", std::numeric_limits<double>::infinity());
    f.set_uint64_field(4, "task_id", fourth_task);
  }
  const ProcessResult r = gemmsweep({"report", out, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("status_counts").at("ok"), 1024 - 4);
  EXPECT_EQ(j.at("run").at("ignored_rows"), "4");
  const std::string table = gemmsweep({"report", out}).out;
  EXPECT_NE(table.find("ignored 4 row(s) that cannot be trusted"), std::string::npos) << table;
  EXPECT_EQ(table.find("inf"), std::string::npos) << table;
  EXPECT_EQ(table.find("nan"), std::string::npos) << table;
}

TEST_F(Hostile, ACompleteFlagOnAPartialFileIsNotBelieved) {
  const std::string out = path("p.h5");
  ASSERT_EQ(run_model(out, {"--shard", "0/2"}).exit_code, 0);
  ForgedFile(out).set_int_attribute("complete", 1);
  const ProcessResult r = gemmsweep({"report", out});
  EXPECT_NE(r.out.find("complete no"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("512 of the 1024 task(s)"), std::string::npos) << r.out;
}

// 17.10: a row whose status no gemmsweep writes does not finish its task for --resume.
TEST_F(Hostile, ResumeMeasuresATaskWhoseRowHasAnUnknownStatus) {
  const std::string out = complete_file("u.h5");
  ForgedFile(out).set_status(7, "bogus");
  const ProcessResult r = run_model(out, {"--resume"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 task(s) to measure"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ignored 1 row(s) whose status gemmsweep does not write"), std::string::npos)
      << r.err;
}

// 17.10: a row of a task outside the job's grid (gemmsweep never writes one) makes --resume
// refuse the file before writing anything: measuring the grid's task again would add a second
// row of a shape the file holds.
TEST_F(Hostile, ResumeRefusesRowsOfTasksOutsideTheGrid) {
  const std::string out = complete_file("o.h5");
  ForgedFile(out).set_uint64_field(5, "task_id", 0xdeadbeefull);
  const auto size_before = std::filesystem::file_size(out);
  expect_one_error_line(run_model(out, {"--resume"}),
                        {"1 row(s) whose task id is not in this job's grid", "3735928559"});
  EXPECT_EQ(std::filesystem::file_size(out), size_before);
  EXPECT_EQ(read_results_file(out).provenance.size(), 1u);  // no resume entry appended
}

// 17.11: merging different jobs is refused unless asked for (it made a union with exit 3).
TEST_F(Hostile, MergingDifferentJobsNeedsTheOption) {
  const std::string a = complete_file("a.h5");
  std::string text = job_text();
  text.replace(text.find("dtype = \"fp16\""), 14, "dtype = \"bf16\"");
  std::ofstream(path("bf16.toml")) << text;
  ASSERT_EQ(
      gemmsweep({"run", path("bf16.toml"), "-o", path("b.h5"), "--backend", "model"}).exit_code, 0);
  expect_one_error_line(gemmsweep({"merge", "-o", path("m.h5"), a, path("b.h5")}),
                        {"another job file", "--allow-different-jobs"});
  EXPECT_FALSE(fs::exists(path("m.h5")));
  const ProcessResult both =
      gemmsweep({"merge", "--allow-different-jobs", "-o", path("m.h5"), a, path("b.h5")});
  EXPECT_EQ(both.exit_code, 0) << both.err;  // both grids whole
  EXPECT_EQ(read_results_file(path("m.h5")).rows.size(), 2048u);
}

// 17.8: plan saturates instead of wrapping around on huge shapes.
TEST_F(Hostile, PlanOfHugeShapesNeitherWrapsNorGoesNegative) {
  std::string text = job_text();
  text.replace(text.find("microbatch = 4"), 14, "microbatch = 16777216");
  text.replace(text.find("seq_length = 2048"), 17, "seq_length = 16777216");
  std::ofstream(path("huge.toml")) << text;
  const ProcessResult r = gemmsweep({"plan", path("huge.toml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("largest memory: more than 16 EiB"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("estimated time: -"), std::string::npos) << r.out;
}

// 17.12: inputs at the edges: a huge key is cut in the error line, --simulate is bounded, and
// an output name as long as the file system allows is accepted (.partial made it too long).
TEST_F(Hostile, EdgesOfTheInputs) {
  const std::string key(100000, 'k');
  std::ofstream(path("key.toml")) << "name = \"x\"\nops = [\"gemm\"]\n" << key << " = 1\n";
  const ProcessResult bad_key = gemmsweep({"plan", path("key.toml")});
  expect_one_error_line(bad_key, {"(100000 characters)"});
  EXPECT_LT(bad_key.err.size(), 1000u);

  expect_one_error_line(run_model(path("s.h5"), {"--simulate", "1e308"}), {"--simulate"});
  EXPECT_FALSE(fs::exists(path("s.h5")));

  const std::string long_name = path(std::string(249, 'n') + ".h5");  // 252 of NAME_MAX 255
  const ProcessResult r = run_model(long_name);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_results_file(long_name).rows.size(), 1024u);
}

}  // namespace
}  // namespace gs::test
