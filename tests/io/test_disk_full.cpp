// A disk that fills up during a run: the store must say so in one line and leave a file whose
// /results holds only rows that were written (no grown-but-unwritten, zero-filled rows).
// Needs a small tmpfs, so root and mount(2); skipped where either is missing, except in CI (CI set,
// as .ci/run runs as root): there a tmpfs that cannot be mounted fails the test instead of
// hiding it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // the io tests' builders (io_test_support.hpp)

class SmallTmpfs {
 public:
  SmallTmpfs(const std::string& dir, const char* size) : dir_(dir) {
    std::filesystem::create_directory(dir_);
    if (geteuid() != 0) {
      why_ = "not root";
    } else if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, size) != 0) {
      why_ = std::string("mount tmpfs: ") + std::strerror(errno);
    } else {
      mounted_ = true;
    }
  }
  ~SmallTmpfs() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_; }

 private:
  std::string dir_, why_;
  bool mounted_ = false;
};

TEST(DiskFull, AFailedWriteIsOneLineAndLeavesNoUnwrittenRows) {
  TempDir dir;
  // Room for the file and one durable batch (256 rows of 817 bytes), not for a second.
  SmallTmpfs fs(dir.file("full"), "size=400k");
  if (!fs.mounted()) {
    ASSERT_EQ(std::getenv("CI"), nullptr) << "CI must mount a small tmpfs: " << fs.why_not();
    GTEST_SKIP() << "needs a small tmpfs: " << fs.why_not();
  }
  const std::string path = dir.file("full") + "/out.h5";

  std::string error;
  std::uint64_t appended = 0;
  ::testing::internal::CaptureStderr();
  {
    ResultsStore store = ResultsStore::create(path, sample_provenance());
    try {
      for (; appended < 4096; appended += 64) {
        std::vector<ResultRow> rows;
        for (std::uint64_t id = appended; id < appended + 64; ++id) rows.push_back(sample_row(id));
        store.append(rows);
      }
    } catch (const StoreError& e) {
      error = e.what();
    }
  }  // the destructor tries the rows once more and closes: quietly, the caller has been told
  const std::string cleanup = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(error.empty()) << "4096 rows fitted in a 400k tmpfs";
  EXPECT_THAT(error, HasSubstr(path + ": write failed: No space left on device"));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_EQ(cleanup, "");

  // Read a copy on a roomy disk, as a user would after freeing space.
  const std::string copy = dir.file("copy.h5");
  std::filesystem::copy_file(path, copy);
  const ResultsFile f = read_results_file(copy);
  EXPECT_EQ(f.unwritten_rows, 0u);
  EXPECT_LT(f.rows.size(), appended + 64);
  for (std::size_t i = 0; i < f.rows.size(); ++i) ASSERT_EQ(f.rows[i], sample_row(i)) << i;
}

}  // namespace
}  // namespace gs
