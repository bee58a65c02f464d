// The writer lock holds the results file's identity (issue 17.2) and tells whether the path still
// names the file it holds (17.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "io/results_store.hpp"
#include "io/writer_lock.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // the io tests' builders (io_test_support.hpp)

TEST(WriterIdentity, EveryAliasOfAHeldFileIsRefused) {
  TempDir dir;
  const std::string out = dir.file("q.h5");
  write_results_file(out, sample_provenance(), sample_rows(0, 3));
  std::filesystem::create_symlink(out, dir.file("s.h5"));
  std::filesystem::create_hard_link(out, dir.file("h.h5"));
  const WriterLock held = WriterLock::acquire(out);
  for (const char* alias : {"s.h5", "h.h5"}) {
    try {
      WriterLock::acquire(dir.file(alias));
      ADD_FAILURE() << alias << " was let in";
    } catch (const StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr("another name"));
    }
  }
}

TEST(WriterIdentity, ThePathNoLongerNamingTheFileIsNoticed) {
  TempDir dir;
  const std::string out = dir.file("q.h5");
  write_results_file(out, sample_provenance(), sample_rows(0, 3));
  const WriterLock held = WriterLock::acquire(out);
  EXPECT_TRUE(held.still_names(out));
  std::filesystem::rename(out, dir.file("moved.h5"));
  EXPECT_FALSE(held.still_names(out));
  write_results_file(dir.file("other.h5"), sample_provenance(), sample_rows(0, 3));
  std::filesystem::rename(dir.file("other.h5"), out);  // another file under the same name
  EXPECT_FALSE(held.still_names(out));
}

TEST(WriterIdentity, ALongNameGetsAShortLockFileOfItsOwn) {
  const std::string name = "/d/" + std::string(252, 'n');
  const std::string lock = WriterLock::lock_path(name);
  EXPECT_EQ(lock.rfind("/d/.gemmsweep-", 0), 0u) << lock;
  EXPECT_LE(std::filesystem::path(lock).filename().string().size(), 255u);
  EXPECT_EQ(lock, WriterLock::lock_path(name)) << "two writers must find the same lock file";
  EXPECT_NE(lock, WriterLock::lock_path(name + "x"));
  EXPECT_EQ(WriterLock::lock_path("/d/out.h5"), "/d/out.h5.lock");
}

}  // namespace
}  // namespace gs
