#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "io/h5_handle.hpp"

namespace gs {

// Root attributes. Text is variable-length UTF-8 (a str in h5py) except where it must be
// rewritten while the file is in SWMR mode (finished_utc): there a fixed-length attribute is
// overwritten in place, which SWMR allows, where a new or resized attribute is not.
void write_text_attribute(hid_t object, const std::string& name, const std::string& value);
void write_fixed_text_attribute(hid_t object, const std::string& name, const std::string& value,
                                std::size_t width);
void write_int_attribute(hid_t object, const std::string& name, std::int64_t value);
// Overwrites an existing attribute of the same type (SWMR-safe).
void overwrite_fixed_text_attribute(hid_t object, const std::string& name, const std::string& value,
                                    std::size_t width);
void overwrite_int_attribute(hid_t object, const std::string& name, std::int64_t value);

// Every attribute of object as text: strings as they are, integers and floats in decimal.
std::map<std::string, std::string> read_attributes_as_text(hid_t object);

}  // namespace gs
