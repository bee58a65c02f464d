#include "diagnostics/api_error.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <utility>

namespace gs {
namespace {

std::atomic<int> g_rank{-1};

std::string compose(const std::string& api, const std::string& call, const std::string& detail,
                    const char* file, int line) {
  const int rank = g_rank.load();
  return fmt::format("{} error: {} at {}:{} on host {}{}: {}", api, call, file, line, host_name(),
                     rank >= 0 ? fmt::format(" rank {}", rank) : std::string(), detail);
}

}  // namespace

ApiError::ApiError(ApiStatus status, const std::string& call, const std::string& detail,
                   const char* file, int line)
    : std::runtime_error(compose(status.api, call, detail, file, line)),
      status_(std::move(status)) {}

ApiError::ApiError(const std::string& api, const std::string& call, const std::string& detail,
                   const char* file, int line)
    : ApiError(ApiStatus{api, 0, false}, call, detail, file, line) {}

void set_process_rank(int rank) { g_rank.store(rank); }
int process_rank() { return g_rank.load(); }

const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return std::string("unknown-host");
    return std::string(buf);
  }();
  return name;
}

void throw_api_error(const ApiStatus& status, const char* call, const std::string& detail,
                     const char* file, int line) {
  throw ApiError(status, call, detail, file, line);
}

void throw_api_error(const char* api, const char* call, const std::string& detail, const char* file,
                     int line) {
  throw ApiError(api, call, detail, file, line);
}

void report_api_error(const char* api, const char* call, const std::string& detail,
                      const char* file, int line) noexcept {
  try {
    std::fprintf(stderr, "gemmsweep: warning: %s\n",
                 compose(api, call, detail, file, line).c_str());
  } catch (...) {
    std::fputs("gemmsweep: warning: an API call failed during cleanup\n", stderr);
  }
}

}  // namespace gs
