#include "io/h5_attributes.hpp"

#include <fmt/format.h>

#include <vector>

#include "io/record_schema.hpp"

namespace gs {
namespace {

H5Space scalar_space() { return H5Space(H5_CHECK(H5Screate(H5S_SCALAR))); }

H5Attribute create_attribute(hid_t object, const std::string& name, hid_t type) {
  if (H5_CHECK(H5Aexists(object, name.c_str())) > 0) H5_CHECK(H5Adelete(object, name.c_str()));
  const H5Space space = scalar_space();
  return H5Attribute(
      H5_CHECK(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT)));
}

std::string read_text(hid_t attribute, hid_t type) {
  if (H5_CHECK(H5Tis_variable_str(type)) > 0) {
    H5Type memory(H5_CHECK(H5Tcopy(H5T_C_S1)));
    H5_CHECK(H5Tset_size(memory.get(), H5T_VARIABLE));
    H5_CHECK(H5Tset_cset(memory.get(), H5Tget_cset(type)));
    char* text = nullptr;
    H5_CHECK(H5Aread(attribute, memory.get(), &text));
    std::string value = text ? text : "";
    const H5Space space = scalar_space();
    H5_CHECK_NOTHROW(H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &text));
    return value;
  }
  const std::size_t width = H5Tget_size(type);
  std::vector<std::byte> buffer(width);
  const H5Type memory = make_fixed_string_type(width);
  H5_CHECK(H5Aread(attribute, memory.get(), buffer.data()));
  return get_fixed_text(buffer.data(), width);
}

struct Collect {
  std::map<std::string, std::string>* out;
};

herr_t collect_one(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto* out = static_cast<Collect*>(data)->out;
  const H5Attribute attribute(H5Aopen(object, name, H5P_DEFAULT));
  if (!attribute) return -1;
  const H5Type type(H5Aget_type(attribute.get()));
  switch (H5Tget_class(type.get())) {
    case H5T_STRING:
      (*out)[name] = read_text(attribute.get(), type.get());
      break;
    case H5T_INTEGER: {
      std::int64_t value = 0;
      if (H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0) return -1;
      (*out)[name] = std::to_string(value);
      break;
    }
    case H5T_FLOAT: {
      double value = 0;
      if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) return -1;
      (*out)[name] = fmt::format("{}", value);
      break;
    }
    default:
      (*out)[name] = "(unreadable attribute type)";
  }
  return 0;
}

}  // namespace

void write_text_attribute(hid_t object, const std::string& name, const std::string& value) {
  H5Type type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), H5T_VARIABLE));
  H5_CHECK(H5Tset_cset(type.get(), H5T_CSET_UTF8));
  const H5Attribute attribute = create_attribute(object, name, type.get());
  const char* text = value.c_str();
  H5_CHECK(H5Awrite(attribute.get(), type.get(), &text));
}

void write_fixed_text_attribute(hid_t object, const std::string& name, const std::string& value,
                                std::size_t width) {
  const H5Type type = make_fixed_string_type(width);
  const H5Attribute attribute = create_attribute(object, name, type.get());
  std::vector<std::byte> buffer(width);
  put_fixed_text(value, buffer.data(), width);
  H5_CHECK(H5Awrite(attribute.get(), type.get(), buffer.data()));
}

void write_int_attribute(hid_t object, const std::string& name, std::int64_t value) {
  const H5Attribute attribute = create_attribute(object, name, H5T_STD_I64LE);
  H5_CHECK(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value));
}

void overwrite_fixed_text_attribute(hid_t object, const std::string& name, const std::string& value,
                                    std::size_t width) {
  const H5Attribute attribute(H5_CHECK(H5Aopen(object, name.c_str(), H5P_DEFAULT)));
  const H5Type type = make_fixed_string_type(width);
  std::vector<std::byte> buffer(width);
  put_fixed_text(value, buffer.data(), width);
  H5_CHECK(H5Awrite(attribute.get(), type.get(), buffer.data()));
}

void overwrite_int_attribute(hid_t object, const std::string& name, std::int64_t value) {
  const H5Attribute attribute(H5_CHECK(H5Aopen(object, name.c_str(), H5P_DEFAULT)));
  H5_CHECK(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value));
}

std::map<std::string, std::string> read_attributes_as_text(hid_t object) {
  std::map<std::string, std::string> out;
  Collect collect{&out};
  hsize_t index = 0;
  H5_CHECK(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, &index, collect_one, &collect));
  return out;
}

}  // namespace gs
