#include "io/record_schema.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
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

struct Sizer {
  std::size_t size = 0;
  template <class T>
  void number(const char*, const T&) {
    size += sizeof(T);
  }
  void boolean(const char*, const bool&) { size += 1; }
  void text(const char*, const std::string&, std::size_t width) { size += width; }
};

struct TypeBuilder {
  hid_t type;
  std::size_t offset = 0;
  template <class T>
  void number(const char* name, const T&) {
    H5_CHECK(H5Tinsert(type, name, offset, file_type_of<T>()));
    offset += sizeof(T);
  }
  void boolean(const char* name, const bool&) {
    const H5Type b = make_bool_type();
    H5_CHECK(H5Tinsert(type, name, offset, b.get()));
    offset += 1;
  }
  void text(const char* name, const std::string&, std::size_t width) {
    const H5Type s = make_fixed_string_type(width);
    H5_CHECK(H5Tinsert(type, name, offset, s.get()));
    offset += width;
  }
};

struct Packer {
  std::byte* out;
  template <class T>
  void number(const char*, const T& value) {
    std::memcpy(out, &value, sizeof(T));
    out += sizeof(T);
  }
  void boolean(const char*, const bool& value) { *out++ = value ? std::byte{1} : std::byte{0}; }
  void text(const char*, const std::string& value, std::size_t width) {
    put_fixed_text(value, out, width);
    out += width;
  }
};

struct Unpacker {
  const std::byte* in;
  template <class T>
  void number(const char*, T& value) {
    std::memcpy(&value, in, sizeof(T));
    in += sizeof(T);
  }
  void boolean(const char*, bool& value) { value = *in++ != std::byte{0}; }
  void text(const char*, std::string& value, std::size_t width) {
    value = get_fixed_text(in, width);
    in += width;
  }
};

template <class Row>
std::size_t record_size() {
  static const std::size_t size = [] {
    Sizer sizer;
    const Row row{};
    visit_fields(row, sizer);
    return sizer.size;
  }();
  return size;
}

template <class Row>
H5Type make_type() {
  H5Type type(H5_CHECK(H5Tcreate(H5T_COMPOUND, record_size<Row>())));
  TypeBuilder builder{type.get()};
  const Row row{};
  visit_fields(row, builder);
  return type;
}

}  // namespace

std::size_t result_record_size() { return record_size<ResultRow>(); }
std::size_t device_record_size() { return record_size<DeviceInfo>(); }
H5Type make_result_type() { return make_type<ResultRow>(); }
H5Type make_device_type() { return make_type<DeviceInfo>(); }

H5Type make_fixed_string_type(std::size_t width) {
  H5Type type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), width));
  H5_CHECK(H5Tset_strpad(type.get(), H5T_STR_NULLPAD));
  H5_CHECK(H5Tset_cset(type.get(), H5T_CSET_UTF8));
  return type;
}

void pack_record(const ResultRow& row, std::byte* out) {
  Packer packer{out};
  visit_fields(row, packer);
}
void pack_record(const DeviceInfo& device, std::byte* out) {
  Packer packer{out};
  visit_fields(device, packer);
}
void unpack_record(const std::byte* in, ResultRow& row) {
  Unpacker unpacker{in};
  visit_fields(row, unpacker);
}
void unpack_record(const std::byte* in, DeviceInfo& device) {
  Unpacker unpacker{in};
  visit_fields(device, unpacker);
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
