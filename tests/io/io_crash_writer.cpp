// Test helper: writes rows into a results file the way the scheduler does (batches of 1..64
// rows) until killed, printing "appended N" after each append so that the test knows how far it
// got. Resumes the file when it exists. With --hold N it appends N rows, prints "holding" and
// sleeps (for the durability-deadline and second-writer tests).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "io/results_store.hpp"
#include "io_test_support.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: io_crash_writer FILE SEED [--hold N]\n");
    return 2;
  }
  const std::string path = argv[1];
  std::mt19937 rng(static_cast<unsigned>(std::atoi(argv[2])));
  const bool hold = argc >= 5 && std::string(argv[3]) == "--hold";
  try {
    const gs::RunProvenance provenance = gs::testing::sample_provenance();
    gs::ResultsStore store = std::filesystem::exists(path)
                                 ? gs::ResultsStore::resume(path, provenance)
                                 : gs::ResultsStore::create(path, provenance);
    std::uint64_t next = store.finished().size();  // rows are all ok, ids 0..N-1
    std::printf("appended %llu\n", static_cast<unsigned long long>(next));
    std::fflush(stdout);
    store.add_devices({gs::testing::sample_device(0)});
    if (hold) {
      const auto count = static_cast<std::uint64_t>(std::atoll(argv[4]));
      std::vector<gs::ResultRow> rows;
      for (std::uint64_t i = 0; i < count; ++i) rows.push_back(gs::testing::sample_row(next++));
      store.append(rows);
      std::printf("holding\n");
      std::fflush(stdout);
      for (;;) pause();
    }
    std::uniform_int_distribution<int> batch_size(1, 64);
    for (;;) {
      std::vector<gs::ResultRow> rows;
      for (int i = batch_size(rng); i > 0; --i) rows.push_back(gs::testing::sample_row(next++));
      store.append(rows);
      std::printf("appended %llu\n", static_cast<unsigned long long>(next));
      std::fflush(stdout);
      usleep(100);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "io_crash_writer: %s\n", e.what());
    return 1;
  }
}
