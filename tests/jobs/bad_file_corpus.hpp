#pragma once
// A corpus of bad job files: each file in a folder starts with "# expect: TEXT", and parsing it
// must raise one JobError whose one-line message contains "<file>:TEXT" or "<file>: TEXT" (the
// file name, then line and key). Shared by the job parser's and advise's corpus tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "jobs/job_error.hpp"

namespace gs::test {

// Checks every .toml file of `dir` with `parse` (a function of the path); returns how many.
template <typename Parse>
std::size_t expect_each_bad_file_fails(const std::filesystem::path& dir, Parse parse) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& f : files) {
    std::ifstream in(f);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    EXPECT_EQ(first.rfind(tag, 0), 0u) << f << " lacks an expect line";
    if (first.rfind(tag, 0) != 0) continue;
    const std::string expected = first.substr(tag.size());
    try {
      parse(f.string());
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
  return files.size();
}

}  // namespace gs::test
