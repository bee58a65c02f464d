#include "worker/measurement.hpp"

namespace gs {

std::string_view to_string(TaskStatus s) {
  switch (s) {
    case TaskStatus::ok:
      return "ok";
    case TaskStatus::skipped:
      return "skipped";
    case TaskStatus::failed:
      return "failed";
  }
  return "?";
}

}  // namespace gs
