#include "io/record_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <type_traits>

#include "jobs/utf8_text.hpp"

namespace gs {
namespace {

static_assert(std::endian::native == std::endian::little,
              "records are stored little-endian without conversion");

template <class T>
hid_t file_type_of() {
  if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
}

// h5py reads an int8 enum with members FALSE = 0 and TRUE = 1 as numpy bool.
H5Type make_bool_type() {
  H5Type type(H5_CHECK(H5Tenum_create(H5T_STD_I8LE)));
  const std::int8_t no = 0, yes = 1;
  H5_CHECK(H5Tenum_insert(type.get(), "FALSE", &no));
  H5_CHECK(H5Tenum_insert(type.get(), "TRUE", &yes));
  return type;
}

// Visits the columns that a record of `version` holds.
template <class Visitor>
struct SinceFilter {
  Visitor& inner;
  int version;
  template <class T, class Access>
  void column(const ColumnInfo& c, T& value, Access access) {
    if (c.since <= version) inner.column(c, value, access);
  }
};

template <class Row, class Visitor>
void visit_columns(Row& row, Visitor& v, int version = kFormatVersion) {
  SinceFilter<Visitor> filter{v, version};
  if constexpr (std::is_same_v<std::remove_const_t<Row>, ResultRow>)
    visit_result_columns(row, filter);
  else
    visit_device_columns(row, filter);
}

template <class T>
constexpr std::size_t field_size(const ColumnInfo& c) {
  if constexpr (std::is_same_v<T, std::string>) return c.width;
  if constexpr (std::is_same_v<T, bool>) return 1;
  return sizeof(T);
}

struct Sizer {
  std::size_t size = 0;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T&, Access) {
    size += field_size<T>(c);
  }
};

struct TypeBuilder {
  hid_t type;
  std::size_t offset = 0;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T&, Access) {
    const std::string name(c.name);
    if constexpr (std::is_same_v<T, std::string>) {
      const H5Type s = make_fixed_string_type(c.width);
      H5_CHECK(H5Tinsert(type, name.c_str(), offset, s.get()));
    } else if constexpr (std::is_same_v<T, bool>) {
      const H5Type b = make_bool_type();
      H5_CHECK(H5Tinsert(type, name.c_str(), offset, b.get()));
    } else {
      H5_CHECK(H5Tinsert(type, name.c_str(), offset, file_type_of<T>()));
    }
    offset += field_size<T>(c);
  }
};

struct Packer {
  std::byte* out;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T& value, Access) {
    if constexpr (std::is_same_v<T, std::string>)
      put_fixed_text(value, out, c.width);
    else if constexpr (std::is_same_v<T, bool>)
      *out = value ? std::byte{1} : std::byte{0};
    else
      std::memcpy(out, &value, sizeof(T));
    out += field_size<T>(c);
  }
};

struct Unpacker {
  const std::byte* in;
  int version;
  template <class T, class Access>
  void column(const ColumnInfo& c, T& value, Access) {
    if constexpr (std::is_same_v<T, std::string>) {
      value = get_fixed_text(in, c.width);
    } else if constexpr (std::is_same_v<T, bool>) {
      value = *in != std::byte{0};
    } else {
      std::memcpy(&value, in, sizeof(T));
      // Version 2 stored telemetry that was not read as 0.0, which no device reports.
      if constexpr (std::is_floating_point_v<T>)
        if (version < 3 && c.nan_when_missing && value == 0) value = kNotRead;
    }
    in += field_size<T>(c);
  }
};

// A row of version 2 had no stop_reason; its converged flag and the sampler's note in its
// message ("not converged: max_samples reached after ...") say what it was.
std::string implied_stop_reason(const ResultRow& row) {
  if (row.status != "ok" && row.status != "calib") return "";
  if (row.converged) return "converged";
  for (const std::string_view reason : {"max_seconds_per_point", "max_samples"})
    if (row.message.find(fmt::format("not converged: {} reached", reason)) != std::string::npos)
      return std::string(reason);
  return "";
}

template <class Row>
std::size_t record_size(int version) {
  Sizer sizer;
  const Row row{};
  visit_columns(row, sizer, version);
  return sizer.size;
}

template <class Row>
H5Type make_type(int version) {
  H5Type type(H5_CHECK(H5Tcreate(H5T_COMPOUND, record_size<Row>(version))));
  TypeBuilder builder{type.get()};
  const Row row{};
  visit_columns(row, builder, version);
  return type;
}

}  // namespace

bool is_readable_format_version(int version) {
  return std::ranges::find(kReadableFormatVersions, version) != std::end(kReadableFormatVersions);
}

std::size_t result_record_size(int version) {
  static const std::size_t current = record_size<ResultRow>(kFormatVersion);
  return version == kFormatVersion ? current : record_size<ResultRow>(version);
}
std::size_t device_record_size() {
  static const std::size_t size = record_size<DeviceInfo>(kFormatVersion);
  return size;
}
H5Type make_result_type(int version) { return make_type<ResultRow>(version); }
H5Type make_device_type() { return make_type<DeviceInfo>(kFormatVersion); }

H5Type make_fixed_string_type(std::size_t width) {
  H5Type type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), width));
  H5_CHECK(H5Tset_strpad(type.get(), H5T_STR_NULLPAD));
  H5_CHECK(H5Tset_cset(type.get(), H5T_CSET_UTF8));
  return type;
}

void pack_record(const ResultRow& row, std::byte* out) {
  Packer packer{out};
  visit_columns(row, packer);
}
void pack_record(const DeviceInfo& device, std::byte* out) {
  Packer packer{out};
  visit_columns(device, packer);
}
void unpack_record(const std::byte* in, ResultRow& row, int version) {
  Unpacker unpacker{in, version};
  visit_columns(row, unpacker, version);
  if (version < 3) row.stop_reason = implied_stop_reason(row);
}
void unpack_record(const std::byte* in, DeviceInfo& device) {
  Unpacker unpacker{in, kFormatVersion};
  visit_columns(device, unpacker);
}

void put_fixed_text(std::string_view text, std::byte* field, std::size_t width) {
  std::memset(field, 0, width);
  if (text.size() <= width) {
    std::memcpy(field, text.data(), text.size());
    return;
  }
  // Cut on a character boundary: the field is declared UTF-8 and readers decode it.
  const std::size_t keep = utf8_prefix_bytes(text, width > 3 ? width - 3 : 0);
  std::memcpy(field, text.data(), keep);
  std::memcpy(field + keep, "...", std::min<std::size_t>(3, width - keep));
}

std::string get_fixed_text(const std::byte* field, std::size_t width) {
  const char* chars = reinterpret_cast<const char*>(field);
  const void* nul = std::memchr(chars, 0, width);
  return std::string(chars, nul ? static_cast<const char*>(nul) - chars : width);
}

}  // namespace gs
