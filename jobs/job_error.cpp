#include "jobs/job_error.hpp"

#include <fmt/format.h>

#include <utility>

#include "jobs/utf8_text.hpp"

namespace gs {
namespace {

// A key is echoed so that the user finds it; a fuzzed or pasted one of thousands of characters
// would bury the line, so it is cut on a character boundary and its length said.
constexpr std::size_t kMaxShownKeyBytes = 80;

std::string shown_key(const std::string& key) {
  if (key.size() <= kMaxShownKeyBytes) return key;
  return fmt::format("{}... ({} characters)",
                     key.substr(0, utf8_prefix_bytes(key, kMaxShownKeyBytes)), utf8_length(key));
}

std::string compose(const std::string& file, long line, const std::string& key,
                    const std::string& problem) {
  return fmt::format("{}{}: {}{}", file.empty() ? std::string_view("<job>") : file,
                     line > 0 ? fmt::format(":{}", line) : std::string(),
                     key.empty() ? std::string() : shown_key(key) + ": ", problem);
}
}  // namespace

JobError::JobError(std::string file, long line, std::string key, std::string problem)
    : std::runtime_error(compose(file, line, key, problem)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      problem_(std::move(problem)) {}

}  // namespace gs
