#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "diagnostics/api_error.hpp"
#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io/writer_lock.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // the io tests' builders (io_test_support.hpp)

void expect_same_device(const DeviceInfo& a, const DeviceInfo& b) {
  EXPECT_EQ(a.backend, b.backend);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.rank, b.rank);
  EXPECT_EQ(a.compute_capability, b.compute_capability);
  EXPECT_EQ(a.sm_count, b.sm_count);
  EXPECT_EQ(a.memory_bytes, b.memory_bytes);
  EXPECT_EQ(a.sm_clock_max_mhz, b.sm_clock_max_mhz);
  EXPECT_EQ(a.mem_clock_max_mhz, b.mem_clock_max_mhz);
  EXPECT_EQ(a.driver_version, b.driver_version);
  EXPECT_EQ(a.runtime_version, b.runtime_version);
  EXPECT_EQ(a.blas_version, b.blas_version);
  EXPECT_EQ(a.threads, b.threads);
}

TEST(ResultsStore, RoundTripsEveryFieldOfRowsAndDevices) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  std::vector<ResultRow> written;
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    for (std::uint64_t first = 0; first < 1000; first += 37) {
      auto batch = sample_rows(first, std::min<std::uint64_t>(37, 1000 - first),
                               first % 2 ? "ok" : "skipped");
      store.append(batch);
      written.insert(written.end(), batch.begin(), batch.end());
    }
    store.add_devices({sample_device(0), sample_device(1, "node1")});
    store.add_devices({sample_device(0)});  // already known: not added twice
    store.close(true);
  }
  const ResultsFile file = read_results_file(path);
  ASSERT_EQ(file.rows.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) ASSERT_EQ(file.rows[i], written[i]) << i;
  ASSERT_EQ(file.devices.size(), 2u);
  expect_same_device(file.devices[0], sample_device(0));
  expect_same_device(file.devices[1], sample_device(1, "node1"));
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(ResultsStore, StringsAreCutToTheirWidthAndEmptyStringsStayEmpty) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultRow longer = sample_row(1);
  longer.message = std::string(300, 'x');
  longer.host = std::string(64, 'h');  // exactly the width: kept whole
  longer.algo = "";
  longer.device = "dev with spaces, commas and \"quotes\"";
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    store.append({longer});
    store.close(true);
  }
  const ResultRow back = read_results_file(path).rows.at(0);
  EXPECT_EQ(back.message, std::string(253, 'x') + "...");
  EXPECT_EQ(back.host, longer.host);
  EXPECT_EQ(back.algo, "");
  EXPECT_EQ(back.device, longer.device);
}

TEST(ResultsStore, TextIsCutOnACharacterBoundary) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultRow row = sample_row(1);
  // 2-byte characters only: the byte cut at 253 falls inside the 127th of them.
  row.message.clear();
  for (int i = 0; i < 150; ++i) row.message += "\xc3\xa9";  // U+00E9
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    store.append({row});
    store.close(true);
  }
  const std::string back = read_results_file(path).rows.at(0).message;
  std::string expected;
  for (int i = 0; i < 126; ++i) expected += "\xc3\xa9";
  EXPECT_EQ(back, expected + "...");
}

TEST(ResultsStore, WritesTheProvenanceAttributesAndHistory) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  const RunProvenance p = sample_provenance();
  ResultsStore::create(path, p).close(true);
  const ResultsFile file = read_results_file(path);
  const auto& a = file.attributes;
  EXPECT_EQ(a.at("format_version"), "3");
  EXPECT_EQ(a.at("gemmsweep_version"), p.gemmsweep_version);
  EXPECT_EQ(a.at("git_revision"), p.git_revision);
  EXPECT_EQ(a.at("job_name"), p.job_name);
  EXPECT_EQ(a.at("spec"), p.spec_text);
  EXPECT_EQ(a.at("spec_hash"), p.spec_hash);
  EXPECT_EQ(a.at("backend"), "cuda");
  EXPECT_EQ(a.at("created_utc"), p.created_utc);
  EXPECT_THAT(a.at("finished_utc"), ::testing::MatchesRegex("20[0-9][0-9]-.*Z"));
  EXPECT_EQ(a.at("command_line"), p.command_line);
  EXPECT_EQ(a.at("slurm_job_id"), "4242");
  EXPECT_EQ(a.at("hosts"), "node0,node1");
  EXPECT_EQ(a.at("ranks"), "8");
  EXPECT_THAT(a.at("library_versions"), HasSubstr("openmpi 4.1.4"));
  EXPECT_THAT(a.at("library_versions"), HasSubstr("hdf5 1.10"));
  EXPECT_EQ(a.at("complete"), "1");
  ASSERT_EQ(file.provenance.size(), 1u);
  const auto entry = nlohmann::json::parse(file.provenance[0]);
  EXPECT_EQ(entry.at("event"), "create");
  EXPECT_EQ(entry.at("spec_hash"), p.spec_hash);
  EXPECT_EQ(entry.at("command_line"), p.command_line);
}

TEST(ResultsStore, IncompleteCloseIsRecorded) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultsStore::create(path, sample_provenance()).close(false);
  EXPECT_EQ(read_results_file(path).attributes.at("complete"), "0");
}

TEST(ResultsStore, DestructorWithoutCloseKeepsTheRowsAndLeavesTheRunIncomplete) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    store.append(sample_rows(0, 5));
  }
  const ResultsFile file = read_results_file(path);
  EXPECT_EQ(file.rows.size(), 5u);
  EXPECT_EQ(file.attributes.at("complete"), "0");
}

TEST(ResultsStore, CreateRefusesAnExistingFile) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultsStore::create(path, sample_provenance()).close(true);
  try {
    ResultsStore::create(path, sample_provenance());
    FAIL() << "an existing file was overwritten";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("already exists"));
    EXPECT_THAT(e.what(), HasSubstr("--resume"));
  }
}

TEST(ResultsStore, ResumeFinishesOkAndSkippedRetriesFailedAndReplacesTheirRows) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    store.append(sample_rows(0, 10, "ok"));
    store.append(sample_rows(10, 5, "failed"));
    store.append(sample_rows(15, 5, "skipped"));
    store.close(false);
  }
  {
    ResultsStore store = ResultsStore::resume(path, sample_provenance());
    std::unordered_set<std::uint64_t> expected;
    for (std::uint64_t i = 0; i < 10; ++i) expected.insert(i);
    for (std::uint64_t i = 15; i < 20; ++i) expected.insert(i);
    EXPECT_EQ(store.finished(), expected);
    store.append(sample_rows(10, 2, "ok"));
    store.append(sample_rows(12, 1, "failed"));  // failed again: still replaces the old row
    store.append(sample_rows(20, 2, "ok"));      // new tasks are appended
    EXPECT_TRUE(store.finished().contains(10));
    EXPECT_FALSE(store.finished().contains(12));
    store.close(true);
  }
  const ResultsFile file = read_results_file(path);
  ASSERT_EQ(file.rows.size(), 22u);  // no duplicate task ids
  std::set<std::uint64_t> ids;
  for (const ResultRow& r : file.rows) ids.insert(r.task_id);
  EXPECT_EQ(ids.size(), 22u);
  EXPECT_EQ(file.rows[10], sample_row(10, "ok"));
  EXPECT_EQ(file.rows[11], sample_row(11, "ok"));
  EXPECT_EQ(file.rows[12], sample_row(12, "failed"));
  EXPECT_EQ(file.rows[13].status, "failed");
  EXPECT_EQ(file.rows[21], sample_row(21, "ok"));
  EXPECT_EQ(file.attributes.at("complete"), "1");
  ASSERT_EQ(file.provenance.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(file.provenance[1]).at("event"), "resume");

  // A second resume sees the retried rows as finished.
  ResultsStore again = ResultsStore::resume(path, sample_provenance());
  EXPECT_TRUE(again.finished().contains(11));
  EXPECT_FALSE(again.finished().contains(12));
  EXPECT_EQ(again.finished().size(), 19u);
}

TEST(ResultsStore, ResumeWithinOneRunReplacesAFailedRowStillInTheBuffer) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    store.append({sample_row(1, "failed")});
    store.append({sample_row(1, "ok")});
    store.close(true);
  }
  const ResultsFile file = read_results_file(path);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].status, "ok");
}

TEST(ResultsStore, ResumeRefusesAFileOfAnotherGrid) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultsStore::create(path, sample_provenance("aaaa")).close(false);
  try {
    ResultsStore::resume(path, sample_provenance("bbbb"));
    FAIL() << "resume accepted a different grid";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("different grid"));
    EXPECT_THAT(e.what(), HasSubstr("aaaa"));
    EXPECT_THAT(e.what(), HasSubstr("bbbb"));
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));  // the refused writer let go
}

TEST(ResultsStore, ResumeOfAMissingFileIsAStoreError) {
  TempDir dir;
  EXPECT_THROW(ResultsStore::resume(dir.file("none.h5"), sample_provenance()), StoreError);
}

TEST(ResultsStore, ASecondWriterIsRefusedWithTheHolderNamed) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultsStore first = ResultsStore::create(path, sample_provenance());
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (attempt == 0)
        ResultsStore::resume(path, sample_provenance());
      else
        ResultsStore::create(path, sample_provenance());
      FAIL() << "a second writer got the file";
    } catch (const StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr("is being written by pid " + std::to_string(getpid()) +
                                      " on host " + host_name()));
      EXPECT_THAT(e.what(), HasSubstr(".lock"));
    }
  }
  first.close(true);
  ResultsStore::resume(path, sample_provenance()).close(true);  // free again
}

TEST(ResultsStore, AStaleLockOfADeadProcessIsTakenOver) {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  ResultsStore::create(path, sample_provenance()).close(false);
  {
    std::ofstream lock(path + ".lock");
    lock << host_name() << " 999999\n";  // no such process, no fcntl lock held
  }
  EXPECT_FALSE(WriterLock::live_holder(path).has_value());
  ResultsStore::resume(path, sample_provenance()).close(true);
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));
}

}  // namespace
}  // namespace gs
