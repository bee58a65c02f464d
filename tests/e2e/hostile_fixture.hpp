#pragma once
// The hostile suite's fixture: a fresh directory per test, the real gemmsweep binary started
// alone (no mpiexec), the shipped 1024-task job, and forgeries of results files through HDF5's C
// API (what an attacker, a crash or a careless script may leave).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "binary_test.hpp"
#include "process.hpp"

namespace gs::test {

class Hostile : public BinaryTest {
 protected:
  // jobs/attention_score_a32.toml: 1024 tasks, about 90 s of sleeps at --simulate 1 (4.4 s at
  // 0.05, 26 s at 0.3 on 2 cores).
  static std::string job() { return GEMMSWEEP_SOURCE_DIR "/jobs/attention_score_a32.toml"; }
  // The job file's text, to write variants of it.
  static std::string job_text() {
    std::ifstream in(job());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // `gemmsweep run job -o out --backend model` and `extra`, waited for.
  ProcessResult run_model(const std::string& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"run", job(), "-o", out, "--backend", "model"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gemmsweep(args);
  }
  // The same, started in the background: each task sleeps its predicted time x `simulate`.
  std::vector<std::string> run_argv(const std::string& out, double simulate) const {
    return {GEMMSWEEP_BINARY,        "run", job(), "-o", out, "--backend", "model", "--simulate",
            std::to_string(simulate)};
  }
  // A complete file of the job, measured at no simulated cost.
  std::string complete_file(const std::string& name) const {
    const std::string out = path(name);
    EXPECT_EQ(run_model(out).exit_code, 0);
    return out;
  }
};

// The lines of stderr that gemmsweep wrote (MPI may add its own).
inline std::vector<std::string> our_lines(const ProcessResult& r) {
  std::vector<std::string> ours;
  for (const std::string& line : lines_of(r.err))
    if (line.rfind("gemmsweep:", 0) == 0) ours.push_back(line);
  return ours;
}

// Exit 2 with one line "gemmsweep: error: ..." that holds every needle.
inline void expect_one_error_line(const ProcessResult& r, const std::vector<std::string>& needles,
                                  int status = 2) {
  EXPECT_EQ(r.exit_code, status) << r.err;
  const auto errors = our_lines(r);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_EQ(errors[0].rfind("gemmsweep: error: ", 0), 0u) << errors[0];
  for (const std::string& needle : needles)
    EXPECT_NE(errors[0].find(needle), std::string::npos) << needle << " not in: " << errors[0];
}

// Opens a results file for forging; closed at the end of the scope.
class ForgedFile {
 public:
  explicit ForgedFile(const std::string& path)
      : file_(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)) {}
  ~ForgedFile() {
    if (file_ >= 0) H5Fclose(file_);
  }
  ForgedFile(const ForgedFile&) = delete;
  ForgedFile& operator=(const ForgedFile&) = delete;
  hid_t id() const { return file_; }

  void delete_attribute(const char* name) const { EXPECT_GE(H5Adelete(file_, name), 0) << name; }
  void set_int_attribute(const char* name, long long value) const {
    const hid_t attribute = H5Aopen(file_, name, H5P_DEFAULT);
    ASSERT_GE(attribute, 0) << name;
    EXPECT_GE(H5Awrite(attribute, H5T_NATIVE_LLONG, &value), 0);
    H5Aclose(attribute);
  }
  // Writes `value` into field `field` (a float64 column) of row `row` of /results.
  void set_double_field(hsize_t row, const char* field, double value) const;
  void set_uint64_field(hsize_t row, const char* field, std::uint64_t value) const;
  void set_status(hsize_t row, const std::string& status) const;
  // /results replaced by a 2 x 2 integer dataset.
  void replace_results_with_2d() const {
    EXPECT_GE(H5Ldelete(file_, "results", H5P_DEFAULT), 0);
    const hsize_t dims[2] = {2, 2};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t dataset =
        H5Dcreate2(file_, "results", H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(dataset, 0);
    H5Dclose(dataset);
    H5Sclose(space);
  }
  // /results replaced by a group of that name.
  void replace_results_with_group() const {
    EXPECT_GE(H5Ldelete(file_, "results", H5P_DEFAULT), 0);
    const hid_t group = H5Gcreate2(file_, "results", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(group, 0);
    H5Gclose(group);
  }

 private:
  hid_t file_;
};

}  // namespace gs::test
