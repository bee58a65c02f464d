// Every file in tests/jobs/bad/ starts with "# expect: TEXT"; parsing it must raise one JobError
// whose message contains "<file>:TEXT" or "<file>: TEXT" (the file name, then line and key).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"

namespace gs {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(GEMMSWEEP_SOURCE_DIR) / "tests/jobs/bad"))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BadJobCorpus, HasAtLeast25Files) { EXPECT_GE(corpus().size(), 25u); }

TEST(BadJobCorpus, EachFileGivesItsExpectedMessage) {
  for (const fs::path& f : corpus()) {
    std::ifstream in(f);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    ASSERT_EQ(first.rfind(tag, 0), 0u) << f << " lacks an expect line";
    const std::string expected = first.substr(tag.size());
    try {
      parse_job_file(f.string());
      ADD_FAILURE() << f << " parsed but should fail with: " << expected;
    } catch (const JobError& e) {
      const std::string msg = e.what();
      const bool with_line = msg.find(f.string() + ":" + expected) != std::string::npos;
      const bool without_line = msg.find(f.string() + ": " + expected) != std::string::npos;
      EXPECT_TRUE(with_line || without_line)
          << f << "\n  expected: " << expected << "\n  got:      " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    }
  }
}

}  // namespace
}  // namespace gs
