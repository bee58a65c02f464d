#include "io/h5_check.hpp"

#include <fmt/format.h>
#include <hdf5.h>

namespace gs {
namespace {

herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* out) {
  // Walked upwards, the first entry is the deepest one, which says what went wrong.
  auto* text = static_cast<std::string*>(out);
  if (text->empty() && error->desc != nullptr && error->desc[0] != '\0') *text = error->desc;
  (void)n;
  return 0;
}

}  // namespace

std::string hdf5_error_detail() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &text);
  return text.empty() ? std::string("HDF5 call failed") : text;
}

void silence_hdf5_errors() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string hdf5_version_string() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return fmt::format("hdf5 {}.{}.{}", major, minor, release);
}

}  // namespace gs
