#include "results_poll.hpp"

#include <chrono>
#include <exception>
#include <thread>

#include "io/results_file.hpp"

namespace gs::test {

bool wait_for_rows(const std::string& path, std::size_t rows, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      std::size_t written = 0;
      for (const auto& row : read_results_file(path).rows) written += row.status.empty() ? 0 : 1;
      if (written >= rows) return true;
    } catch (const std::exception&) {
      // Not created yet, or between the writer's first flushes: look again.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace gs::test
