#pragma once
#include <stdexcept>
#include <string>

namespace gs {

// An advise request that cannot be answered from its inputs (a results file measured on two
// device types, no row for any candidate): one line, exit status 2, nothing written.
class AdviseError : public std::runtime_error {
 public:
  explicit AdviseError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace gs
