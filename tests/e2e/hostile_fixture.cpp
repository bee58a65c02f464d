#include "hostile_fixture.hpp"

namespace gs::test {
namespace {

// Writes one native-typed field of one /results row through a compound memory type holding
// that field only (HDF5 converts by field name).
template <class Value>
void write_field(hid_t file, hsize_t row, const char* field, hid_t native, Value value) {
  const hid_t dataset = H5Dopen2(file, "results", H5P_DEFAULT);
  ASSERT_GE(dataset, 0);
  const hid_t memory_type = H5Tcreate(H5T_COMPOUND, sizeof(Value));
  H5Tinsert(memory_type, field, 0, native);
  const hid_t file_space = H5Dget_space(dataset);
  const hsize_t count = 1;
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &row, nullptr, &count, nullptr);
  const hid_t memory_space = H5Screate_simple(1, &count, nullptr);
  EXPECT_GE(H5Dwrite(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, &value), 0)
      << field;
  H5Sclose(memory_space);
  H5Sclose(file_space);
  H5Tclose(memory_type);
  H5Dclose(dataset);
}

}  // namespace

void ForgedFile::set_double_field(hsize_t row, const char* field, double value) const {
  write_field(file_, row, field, H5T_NATIVE_DOUBLE, value);
}

void ForgedFile::set_uint64_field(hsize_t row, const char* field, std::uint64_t value) const {
  write_field(file_, row, field, H5T_NATIVE_UINT64, value);
}

void ForgedFile::set_status(hsize_t row, const std::string& status) const {
  const hid_t dataset = H5Dopen2(file_, "results", H5P_DEFAULT);
  ASSERT_GE(dataset, 0);
  const hid_t row_type = H5Dget_type(dataset);
  const hid_t status_type = H5Tget_member_type(row_type, H5Tget_member_index(row_type, "status"));
  std::string padded = status;
  padded.resize(H5Tget_size(status_type), '\0');
  const hid_t memory_type = H5Tcreate(H5T_COMPOUND, padded.size());
  H5Tinsert(memory_type, "status", 0, status_type);
  const hid_t file_space = H5Dget_space(dataset);
  const hsize_t count = 1;
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &row, nullptr, &count, nullptr);
  const hid_t memory_space = H5Screate_simple(1, &count, nullptr);
  EXPECT_GE(H5Dwrite(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, padded.data()),
            0);
  H5Sclose(memory_space);
  H5Sclose(file_space);
  H5Tclose(memory_type);
  H5Tclose(status_type);
  H5Tclose(row_type);
  H5Dclose(dataset);
}

}  // namespace gs::test
