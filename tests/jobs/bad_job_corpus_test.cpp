// Every file in tests/jobs/bad/ starts with "# expect: TEXT"; parsing it must raise one JobError
// whose message contains "<file>:TEXT" or "<file>: TEXT" (the file name, then line and key).
#include <gtest/gtest.h>

#include "jobs/job_parser.hpp"
#include "tests/jobs/bad_file_corpus.hpp"

namespace gs {
namespace {

TEST(BadJobCorpus, EachFileGivesItsExpectedMessage) {
  const std::size_t files = test::expect_each_bad_file_fails(
      std::filesystem::path(GEMMSWEEP_SOURCE_DIR) / "tests/jobs/bad",
      [](const std::string& path) { parse_job_file(path); });
  EXPECT_GE(files, 25u);
}

}  // namespace
}  // namespace gs
