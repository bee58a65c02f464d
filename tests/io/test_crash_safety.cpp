// SIGKILL at random moments: the file must always open (C++ reader, and h5py through the
// analysis loader), hold an intact prefix of the rows, and lose at most the rows since the last
// durable point (fewer than 256 once append() has returned).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

// A child process running io_crash_writer, its stdout read line by line.
class Writer {
 public:
  Writer(const std::string& path, int seed, const std::vector<std::string>& extra = {}) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<std::string> args = {IO_CRASH_WRITER, path, std::to_string(seed)};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Writer() {
    kill_now();
    close(fd_);
  }
  pid_t pid() const { return pid_; }

  // Reads what the child printed within `wait`; returns false at end of output.
  bool read_for(std::chrono::milliseconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::max<long>(0, left.count()))) <= 0) return true;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      output_.append(buf, static_cast<std::size_t>(n));
      if (left.count() <= 0) return true;
    }
  }
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    while (read_for(std::chrono::milliseconds(0))) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 0) <= 0) break;
    }
  }
  // The last "appended N" the child printed, or -1.
  long long last_appended() const {
    const auto at = output_.rfind("appended ");
    if (at == std::string::npos) return -1;
    return std::atoll(output_.c_str() + at + 9);
  }
  bool said(const std::string& word) const { return output_.find(word) != std::string::npos; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

int run_python(const std::string& code) {
  const std::string script =
      std::string("import sys; sys.path.insert(0, '") + GEMMSWEEP_IO_ANALYSIS_DIR "')\n" + code;
  const std::string file = "/tmp/gemmsweep-io-check-" + std::to_string(getpid()) + ".py";
  std::ofstream(file) << script;
  const int status = std::system((std::string(GEMMSWEEP_PYTHON) + " " + file).c_str());
  std::remove(file.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(CrashSafety, SigkillAtTwentyRandomMomentsLosesOnlyUndurableRows) {
  TempDir dir;
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> delay_ms(0, 250);
  std::vector<std::pair<std::string, std::size_t>> files;  // path, rows it must hold
  std::size_t previous_rows = 0;
  for (int i = 0; i < 20; ++i) {
    // Even rounds start a file, odd rounds resume the one before: kills land in create,
    // in resume's recovery and in appends.
    const std::string path = dir.file("kill" + std::to_string(i / 2) + ".h5");
    if (i % 2 == 0) previous_rows = 0;
    Writer writer(path, i);
    writer.read_for(std::chrono::milliseconds(delay_ms(rng)));
    writer.kill_now();
    const long long reported = writer.last_appended();
    SCOPED_TRACE("round " + std::to_string(i) + ", last reported " + std::to_string(reported));
    if (!std::filesystem::exists(path)) {
      EXPECT_LE(reported, 0) << "rows were reported but the file is gone";
      continue;
    }
    ResultsFile file;
    ASSERT_NO_THROW(file = read_results_file(path));
    const std::size_t n = file.rows.size();
    for (std::size_t r = 0; r < n; ++r) ASSERT_EQ(file.rows[r], testing::sample_row(r)) << r;
    EXPECT_GE(n, previous_rows) << "rows that were durable before were lost";
    if (reported >= 0) {
      EXPECT_GE(static_cast<long long>(n), reported - 255);
      EXPECT_LE(static_cast<long long>(n), reported + 64);
    }
    previous_rows = n;
    if (i % 2 == 1) files.emplace_back(path, n);
  }
  // h5py, plainly (the C++ reader recovered each file) and through the analysis loader.
  std::string code = "import h5py, numpy as np\nfrom gemmsweep_analysis.load import load\n";
  for (const auto& [path, n] : files) {
    code += "with h5py.File('" + path + "', 'r') as f: assert f['results'].shape == (" +
            std::to_string(n) + ",), f['results'].shape\n";
    code += "df = load('" + path + "')\n";
    code += "ids = np.arange(" + std::to_string(n) + ")\n";
    code += "assert (df.task_id.values == ids).all()\n";
    code += "assert (df.hidden_size.values == 32 * (ids + 1)).all()\n";
    code += "assert list(df.host) == ['node%d' % (i % 4) for i in ids]\n";
    code +=
        "assert list(df.op) == [('attention_score' if i % 2 else "
        "'attention_linear_projection') for i in ids]\n";
  }
  EXPECT_EQ(run_python(code), 0);
}

TEST(CrashSafety, RowsBecomeDurableWithoutAnotherAppendAndAKilledFileReadsBeforeRecovery) {
  TempDir dir;
  const std::string path = dir.file("hold.h5");
  Writer writer(path, 1, {"--hold", "300"});
  while (!writer.said("holding")) ASSERT_TRUE(writer.read_for(std::chrono::milliseconds(100)));
  // 256 rows went out at once; the other 44 must follow without another append (the flusher's
  // age limit, about 2 s): waited for, not slept for, with a deadline no flusher needs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read_results_file(path).rows.size() < 300u) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the last 44 rows never landed";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  // A second writer, in another process, is refused with the holder named.
  try {
    ResultsStore::resume(path, testing::sample_provenance());
    ADD_FAILURE() << "second writer accepted";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pid " + std::to_string(writer.pid())));
  }
  // h5py reads the live file (SWMR) through the loader ...
  const std::string check =
      "from gemmsweep_analysis.load import load, devices\n"
      "df = load('" +
      path +
      "')\nassert len(df) == 300, len(df)\n"
      "assert len(devices('" +
      path + "')) == 1\n";
  EXPECT_EQ(run_python(check), 0);
  // ... and so does the C++ reader (report), without touching the live file.
  EXPECT_EQ(read_results_file(path).rows.size(), 300u);
  EXPECT_EQ(read_results_file(path).attributes.at("complete"), "0");
  writer.kill_now();
  // ... and the killed one before any recovery,
  EXPECT_EQ(run_python(check), 0);
  // then the C++ reader recovers it, after which plain h5py opens it too.
  EXPECT_EQ(read_results_file(path).rows.size(), 300u);
  EXPECT_EQ(
      run_python("import h5py\nassert h5py.File('" + path + "', 'r')['results'].shape == (300,)\n"),
      0);
  // And it resumes: 300 finished tasks.
  ResultsStore store = ResultsStore::resume(path, testing::sample_provenance());
  EXPECT_EQ(store.finished().size(), 300u);
  store.close(true);
}

}  // namespace
}  // namespace gs
