#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "worker/cpu/host_info.hpp"

namespace gs {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("gemmsweep-host-info-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void write(const fs::path& relative, const std::string& text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative) << text;
  }

 private:
  fs::path path_;
};

TEST(ParseCacheSize, Units) {
  EXPECT_EQ(parse_cache_size("32K"), 32u << 10);
  EXPECT_EQ(parse_cache_size("2048K\n"), 2048u << 10);
  EXPECT_EQ(parse_cache_size("300M"), 300ull << 20);
  EXPECT_EQ(parse_cache_size("1G"), 1ull << 30);
  EXPECT_EQ(parse_cache_size("4096"), 4096u);
  EXPECT_FALSE(parse_cache_size("").has_value());
  EXPECT_FALSE(parse_cache_size("big").has_value());
  EXPECT_FALSE(parse_cache_size("12X").has_value());
}

TEST(LastLevelCache, LargestDataOrUnifiedCache) {
  TempDir dir;
  dir.write("index0/type", "Data\n");
  dir.write("index0/size", "48K\n");
  dir.write("index1/type", "Instruction\n");
  dir.write("index1/size", "64M\n");  // ignored: not data
  dir.write("index2/type", "Unified\n");
  dir.write("index2/size", "2048K\n");
  dir.write("index3/type", "Unified\n");
  dir.write("index3/size", "300M\n");
  EXPECT_EQ(last_level_cache_bytes(dir.path()), 300ull << 20);
}

TEST(LastLevelCache, FallsBackWhenSysfsIsMissing) {
  EXPECT_EQ(last_level_cache_bytes("/nonexistent/cache"), kFallbackLastLevelCacheBytes);
  EXPECT_EQ(kFallbackLastLevelCacheBytes, 32ull << 20);
}

TEST(CpuModelName, FirstModelNameLine) {
  TempDir dir;
  dir.write("cpuinfo",
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Example CPU @ 2.0GHz\n"
            "processor\t: 1\nmodel name\t: Other\n");
  EXPECT_EQ(cpu_model_name(dir.path() / "cpuinfo"), "Example CPU @ 2.0GHz");
  EXPECT_EQ(cpu_model_name("/nonexistent/cpuinfo"), "unknown CPU");
}

TEST(MemInfo, AvailableAndTotal) {
  TempDir dir;
  dir.write("meminfo",
            "MemTotal:       24000000 kB\nMemFree:        1 kB\n"
            "MemAvailable:   20000000 kB\n");
  EXPECT_EQ(total_memory_bytes(dir.path() / "meminfo"), 24000000ull * 1024);
  EXPECT_EQ(available_memory_bytes(dir.path() / "meminfo"), 20000000ull * 1024);
  EXPECT_EQ(available_memory_bytes("/nonexistent/meminfo"), 0u);
  EXPECT_GT(available_memory_bytes(), 0u) << "this machine's /proc/meminfo";
}

TEST(CpuThreads, SplitTheNodeBetweenRanks) {
  const int cores = cores_online();
  ASSERT_GE(cores, 1);
  EXPECT_LE(cores_available_to_process(), cores);
  EXPECT_EQ(cpu_threads_per_rank(1), cores_available_to_process());
  EXPECT_EQ(cpu_threads_per_rank(cores), 1);
  EXPECT_EQ(cpu_threads_per_rank(4 * cores), 1) << "oversubscribed ranks still get one thread";
  EXPECT_EQ(cpu_threads_per_rank(0), cpu_threads_per_rank(1));
}

TEST(OpenBlasVersion, NamesOpenBlas) {
  EXPECT_NE(openblas_version().find("OpenBLAS"), std::string::npos);
}

}  // namespace
}  // namespace gs
