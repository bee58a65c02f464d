#pragma once
#include <stdexcept>
#include <string>

namespace gs {

// A job file that cannot be used. what() is one line naming file, line (when known), key, the
// bad value and what is allowed; the command line turns it into exit status 2.
class JobError : public std::runtime_error {
 public:
  JobError(std::string file, long line, std::string key, std::string problem);

  const std::string& file() const { return file_; }
  long line() const { return line_; }
  const std::string& key() const { return key_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  long line_;
  std::string key_;
  std::string problem_;
};

}  // namespace gs
