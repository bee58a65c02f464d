// gemmsweep fit's reading of a results file: which rows it fits, the hardware /devices names,
// and the refusals of a file that cannot identify the terms.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "fit/fit_input.hpp"
#include "fit/fit_refused.hpp"
#include "io/results_store.hpp"

namespace gs {
namespace {

namespace fs = std::filesystem;

ResultRow gemm_row(std::uint64_t id, std::int64_t head_dim, const std::string& status,
                   bool converged) {
  ResultRow r;
  r.task_id = id;
  r.op = "attention_score";
  r.dtype = "fp16";
  r.hidden_size = 32 * head_dim;
  r.head_dim = head_dim;
  r.batch = 128;
  r.m = 2048;
  r.n = head_dim;
  r.k = 2048;
  r.status = status;
  r.converged = converged;
  r.time_s = status == "ok" ? 1e-3 : 0;
  r.samples = 10;
  return r;
}

class FitResultsFile : public ::testing::Test {
 protected:
  std::string write(const std::vector<ResultRow>& rows, const std::vector<std::string>& devices) {
    const std::string path =
        (fs::temp_directory_path() / ("gemmsweep_fit_file_" + std::to_string(getpid()) + "_" +
                                      std::to_string(files_++) + ".h5"))
            .string();
    fs::remove(path);
    RunProvenance p;
    p.job_name = "fit-test";
    p.spec_text = "name = \"fit-test\"";
    p.spec_hash = "0123456789abcdef";
    p.backend = "model";
    ResultsStore store = ResultsStore::create(path, p);
    store.append(rows);
    std::vector<DeviceInfo> infos;
    for (std::size_t i = 0; i < devices.size(); ++i) {
      DeviceInfo d;
      d.backend = "model";
      d.name = devices[i];
      d.rank = static_cast<int>(i);
      infos.push_back(d);
    }
    store.add_devices(infos);
    store.close(true);
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& p : paths_) fs::remove(p);
  }
  std::vector<std::string> paths_;
  int files_ = 0;
};

TEST_F(FitResultsFile, RowsClocksBecomeTheSustainedClockCappedAtTheBoost) {
  std::vector<ResultRow> rows;
  for (std::uint64_t d = 1; d <= 30; ++d) {
    ResultRow r = gemm_row(d, d, "ok", true);
    r.sm_clock_before_mhz = d == 1 ? 900 : 1760;  // one throttled row does not move the median
    r.sm_clock_after_mhz = 1740;
    rows.push_back(r);
  }
  const FitInput in = read_fit_input(write(rows, {"NVIDIA H100 80GB HBM3"}), std::nullopt);
  EXPECT_EQ(in.hardware.boost_clock_mhz, 1830);
  EXPECT_EQ(in.hardware.sustained_clock_mhz, 1750);
  EXPECT_NE(in.hardware_from.find("sustained clock 1750 MHz"), std::string::npos)
      << in.hardware_from;

  for (ResultRow& r : rows) r.sm_clock_before_mhz = r.sm_clock_after_mhz = 1980;
  EXPECT_EQ(read_fit_input(write(rows, {"model:H100"}), std::nullopt).hardware.sustained_clock_mhz,
            1830);
  for (ResultRow& r : rows) r.sm_clock_before_mhz = r.sm_clock_after_mhz = 0;
  EXPECT_EQ(read_fit_input(write(rows, {"model:H100"}), std::nullopt).hardware.sustained_clock_mhz,
            0);
}

TEST_F(FitResultsFile, FitsOnlyOkConvergedGemmRowsOnTheNamedGpu) {
  std::vector<ResultRow> rows;
  for (std::uint64_t d = 1; d <= 30; ++d) rows.push_back(gemm_row(d, d, "ok", true));
  rows.push_back(gemm_row(100, 7, "ok", false));  // did not meet the stopping rule
  rows.push_back(gemm_row(101, 9, "failed", false));
  rows.push_back(gemm_row(102, 11, "skipped", false));
  ResultRow collective = gemm_row(103, 1, "ok", true);
  collective.op = "all_reduce";
  rows.push_back(collective);
  const FitInput in = read_fit_input(write(rows, {"model:H100"}), std::nullopt);
  EXPECT_EQ(in.rows.size(), 30u);
  EXPECT_EQ(in.rows_read, rows.size());
  EXPECT_EQ(in.hardware.name, "H100");
  EXPECT_EQ(in.base.name, "H100");  // --base defaults to the GPU of /devices
  EXPECT_EQ(in.fingerprint, "0123456789abcdef");
  const FitInput from_a100 = read_fit_input(paths_.back(), "A100");
  EXPECT_EQ(from_a100.hardware.name, "H100");
  EXPECT_EQ(from_a100.base.name, "A100");
}

TEST_F(FitResultsFile, UnknownDevicesTakeTheBaseHardware) {
  std::vector<ResultRow> rows;
  for (std::uint64_t d = 1; d <= 30; ++d) rows.push_back(gemm_row(d, d, "ok", true));
  const FitInput in = read_fit_input(write(rows, {"Some Future GPU"}), "MI250X");
  EXPECT_EQ(in.hardware.name, "MI250X");
  EXPECT_NE(in.hardware_from.find("no known GPU"), std::string::npos);
}

TEST_F(FitResultsFile, FilesThatCannotIdentifyTheTermsAreRefused) {
  ResultRow collective = gemm_row(1, 1, "ok", true);
  collective.op = "all_reduce";
  EXPECT_THROW(read_fit_input(write({collective}, {"model:A100"}), std::nullopt), FitRefused);
  EXPECT_THROW(read_fit_input(write({gemm_row(1, 1, "failed", false), gemm_row(2, 2, "ok", false)},
                                    {"model:A100"}),
                              std::nullopt),
               FitRefused);
  try {
    read_fit_input(write({gemm_row(1, 1, "ok", true)}, {"model:A100", "model:H100"}), std::nullopt);
    ADD_FAILURE();
  } catch (const FitRefused& e) {
    EXPECT_NE(std::string(e.what()).find("2 GPU types"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gs
