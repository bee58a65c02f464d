#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string read_error(const std::string& path) {
  try {
    read_results_file(path);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_one_line_naming(const std::string& message, const std::string& path) {
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(ReadResultsFile, MissingFile) {
  TempDir dir;
  const std::string path = dir.file("missing.h5");
  const std::string message = read_error(path);
  expect_one_line_naming(message, path);
  EXPECT_THAT(message, HasSubstr("no such file"));
}

TEST(ReadResultsFile, ForeignFile) {
  TempDir dir;
  const std::string path = dir.file("notes.h5");
  std::ofstream(path) << "this is not HDF5\n";
  const std::string message = read_error(path);
  expect_one_line_naming(message, path);
  EXPECT_THAT(message, HasSubstr("not an HDF5 file"));
}

TEST(ReadResultsFile, EmptyFile) {
  TempDir dir;
  const std::string path = dir.file("empty.h5");
  std::ofstream{path};
  EXPECT_THAT(read_error(path), HasSubstr("empty"));
}

TEST(ReadResultsFile, HdfFileThatIsNotAResultsFile) {
  TempDir dir;
  const std::string path = dir.file("other.h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  H5Fclose(file);
  const std::string message = read_error(path);
  expect_one_line_naming(message, path);
  EXPECT_THAT(message, HasSubstr("not a gemmsweep results file"));
}

TEST(ReadResultsFile, TruncatedFile) {
  TempDir dir;
  const std::string path = dir.file("whole.h5");
  testing::write_results_file(path, testing::sample_provenance(), testing::sample_rows(0, 2000));
  for (const double fraction : {0.5, 0.9, 0.02}) {
    const std::string cut = dir.file("cut.h5");
    std::filesystem::copy_file(path, cut, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(
        cut, static_cast<std::uintmax_t>(fraction *
                                         static_cast<double>(std::filesystem::file_size(path))));
    const std::string message = read_error(cut);
    expect_one_line_naming(message, cut);
    EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("truncated"), HasSubstr("not an HDF5"),
                                          HasSubstr("unreadable"), HasSubstr("cannot open")))
        << message;
  }
}

TEST(ReadResultsFile, Directory) {
  TempDir dir;
  const std::string path = dir.file("adir.h5");
  std::filesystem::create_directory(path);
  EXPECT_THAT(read_error(path), HasSubstr("is a directory"));
}

}  // namespace
}  // namespace gs
