#include "io/h5_check.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <string_view>

namespace gs {
namespace {

struct Innermost {
  std::string text;
};

herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* out) {
  // Walked upwards, the first entry is the deepest one, which says what went wrong.
  auto* innermost = static_cast<Innermost*>(out);
  if (innermost->text.empty() && error->desc != nullptr && error->desc[0] != '\0')
    innermost->text = error->desc;
  (void)n;
  return 0;
}

// The text after `key` up to `end` (exclusive), or empty.
std::string_view field(std::string_view text, std::string_view key, char end) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  const std::string_view rest = text.substr(at + key.size());
  return rest.substr(0, rest.find(end));
}

// HDF5's messages for failed system calls span lines and list buffers, offsets and a time stamp
// ("file write failed: time = ...\n, filename = ..., errno = 28, error message = 'No space left
// on device', buf = ..."): what matters is the OS's message and errno.
std::string os_error_of(std::string_view desc) {
  const std::string_view message = field(desc, "error message = '", '\'');
  if (message.empty()) return {};
  const std::string_view number = field(desc, "errno = ", ',');
  return number.empty() ? std::string(message) : fmt::format("{} (errno {})", message, number);
}

std::string one_line(std::string_view desc) {
  if (const std::string os = os_error_of(desc); !os.empty()) {
    const auto colon = desc.find(':');
    return colon == std::string_view::npos ? os : fmt::format("{}: {}", desc.substr(0, colon), os);
  }
  std::string out;
  for (char c : desc)
    if (c != '\n' && c != '\r')
      out += c;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  return out;
}

std::string innermost_desc() {
  Innermost innermost;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &innermost);
  return innermost.text;
}

}  // namespace

std::string hdf5_error_detail() {
  const std::string desc = innermost_desc();
  return desc.empty() ? std::string("HDF5 call failed") : one_line(desc);
}

void silence_hdf5_errors() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string hdf5_version_string() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return fmt::format("hdf5 {}.{}.{}", major, minor, release);
}

Hdf5Error::Hdf5Error(const char* call, std::string detail, std::string os_error, const char* file,
                     int line)
    : ApiError("HDF5", call, detail, file, line),
      detail_(std::move(detail)),
      os_error_(std::move(os_error)) {}

void throw_hdf5_error(const char* call, const char* file, int line) {
  const std::string desc = innermost_desc();
  throw Hdf5Error(call, desc.empty() ? std::string("HDF5 call failed") : one_line(desc),
                  os_error_of(desc), file, line);
}

}  // namespace gs
