#include "jobs/job_error.hpp"

#include <fmt/format.h>

#include <utility>

namespace gs {
namespace {
std::string compose(const std::string& file, long line, const std::string& key,
                    const std::string& problem) {
  return fmt::format("{}{}: {}{}", file.empty() ? std::string_view("<job>") : file,
                     line > 0 ? fmt::format(":{}", line) : std::string(),
                     key.empty() ? std::string() : key + ": ", problem);
}
}  // namespace

JobError::JobError(std::string file, long line, std::string key, std::string problem)
    : std::runtime_error(compose(file, line, key, problem)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      problem_(std::move(problem)) {}

}  // namespace gs
