#pragma once
// The fixture every end-to-end suite shares: a fresh directory per test (kept when the test
// fails, to look at), and the real gemmsweep binary started in it, alone or under mpiexec.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace gs::test {

class BinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("gemmsweep_" + std::string(info->test_suite_name()) + "_" + std::to_string(getpid()) +
            "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path(name));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // gemmsweep ARGS, started alone (a serial run), in the test's directory.
  ProcessResult gemmsweep(const std::vector<std::string>& args) const {
    return run_process(binary_argv(args), dir_.string());
  }
  // The same under mpiexec -n ranks.
  ProcessResult gemmsweep(int ranks, const std::vector<std::string>& args,
                          const Environment& env = {}) const {
    return run_process(with_mpiexec(ranks, binary_argv(args), env), dir_.string(), env);
  }

  std::filesystem::path dir_;

 private:
  static std::vector<std::string> binary_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{GEMMSWEEP_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
};

}  // namespace gs::test
