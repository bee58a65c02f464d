// Ranking from a results file (--from): rows of the chosen device only, a file of two device
// types or two BLAS versions refused unless one is chosen, MFU against the device's peak.
#include "advise/advise_from_results.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "advise/advice_dataset.hpp"
#include "advise/advise_error.hpp"
#include "advise_test_support.hpp"
#include "io/results_store.hpp"

namespace gs {
namespace {

namespace fs = std::filesystem;

// The fixture's one candidate: h 128, a 2, L 2, v 256, s 32 (2 * (4 * 128^2 + 2 * 128 * 512)
// + 256 * 128 = 425984 parameters).
constexpr const char* kJob = R"(name = "from"
[advise]
params = { target = 425984, tolerance = 0.01 }
hidden_size = 128
heads = 2
layers = 2
vocab_size = 256
seq_length = 32
)";

DeviceInfo device(int rank, const std::string& name, const std::string& blas) {
  DeviceInfo d;
  d.backend = "cuda";
  d.name = name;
  d.host = "node0";
  d.rank = rank;
  d.memory_bytes = 80ull << 30;
  d.blas_version = blas;
  return d;
}

class AdviseFromResults : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("from_" + std::to_string(getpid()) + ".h5")).string();
    fs::remove(path_);
  }
  void TearDown() override { fs::remove(path_); }

  // The fixture's rows on rank 0 (device 0) and, twice as slow, on rank 1 (device 1).
  void write_file(const DeviceInfo& rank0, const DeviceInfo& rank1) {
    RunProvenance p;
    p.job_name = "from";
    p.backend = "cuda";
    p.spec_hash = "test";
    ResultsStore store = ResultsStore::create(path_, p);
    store.add_devices({rank0, rank1});
    std::vector<ResultRow> rows;
    std::uint64_t id = 0;
    for (const DeviceInfo& d : {rank0, rank1})
      for (ResultRow r : test::read_rows_fixture("layer_rows.csv")) {
        r.task_id = id++;
        r.rank = d.rank;
        r.host = d.host;
        r.device = d.name;
        if (d.rank == 1) r.time_s *= 2;
        rows.push_back(r);
      }
    store.append(rows);
    store.close(true);
  }
  std::string rank(AdviseOptions options) {
    std::ostringstream out;
    advise_from_results(parse_advise_job_text(kJob, "from.toml"), path_, options, out);
    return out.str();
  }
  std::string path_;
};

TEST_F(AdviseFromResults, TwoDeviceTypesAreRefusedUnlessOneIsChosen) {
  write_file(device(0, "NVIDIA A100-SXM4-80GB", "12.2"),
             device(1, "NVIDIA H100 80GB HBM3", "12.2"));
  try {
    rank({});
    ADD_FAILURE() << "a file of two device types was ranked";
  } catch (const AdviseError& e) {
    EXPECT_NE(std::string(e.what()).find("add --device NAME"), std::string::npos) << e.what();
  }
  EXPECT_ANY_THROW(read_advice(path_));  // nothing written
  AdviseOptions a100;
  a100.device = "NVIDIA A100-SXM4-80GB";
  rank(a100);
  const auto advice = read_advice(path_);
  ASSERT_EQ(advice.size(), 1u);
  // The A100's rows only: the fixture's 434 ms step (tests/advise/step_time_test.cpp).
  EXPECT_NEAR(advice[0].step_time_s, 0.434, 1e-12);
  // MFU against the A100's fp16 peak, 312 TFLOP/s.
  EXPECT_NEAR(advice[0].mfu, advice[0].tokens_per_s * advice[0].flops_per_token / 312e12, 1e-12);
  EXPECT_EQ(advice[0].fits, 1);
}

TEST_F(AdviseFromResults, TwoBlasVersionsAreRefusedUnlessOneIsChosen) {
  write_file(device(0, "NVIDIA H200", "12.4.5"), device(1, "NVIDIA H200", "12.8.3"));
  try {
    rank({});
    ADD_FAILURE() << "a file of two BLAS versions was ranked";
  } catch (const AdviseError& e) {
    EXPECT_NE(std::string(e.what()).find("--blas-version"), std::string::npos) << e.what();
  }
  AdviseOptions newer;
  newer.blas_version = "12.8.3";
  rank(newer);
  EXPECT_NEAR(read_advice(path_).at(0).step_time_s, 2 * 0.434, 1e-12);  // rank 1's rows
}

}  // namespace
}  // namespace gs
