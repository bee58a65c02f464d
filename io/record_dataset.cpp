#include "io/record_dataset.hpp"

namespace gs {
namespace {

H5Space select_rows(hid_t dataset, hsize_t first, hsize_t count) {
  H5Space space(H5_CHECK(H5Dget_space(dataset)));
  H5_CHECK(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr));
  return space;
}

}  // namespace

RecordDataset RecordDataset::create(hid_t file, const char* name, hid_t type, hsize_t chunk_rows) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  const H5Space space(H5_CHECK(H5Screate_simple(1, &zero, &unlimited)));
  const H5Plist create(H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
  H5_CHECK(H5Pset_chunk(create.get(), 1, &chunk_rows));
  RecordDataset out;
  out.dataset_ = H5Dataset(
      H5_CHECK(H5Dcreate2(file, name, type, space.get(), H5P_DEFAULT, create.get(), H5P_DEFAULT)));
  out.type_ = H5Type(H5_CHECK(H5Tcopy(type)));
  out.record_size_ = H5Tget_size(type);
  return out;
}

RecordDataset RecordDataset::open(hid_t file, const char* name) {
  RecordDataset out;
  out.dataset_ = H5Dataset(H5_CHECK(H5Dopen2(file, name, H5P_DEFAULT)));
  out.type_ = H5Type(H5_CHECK(H5Dget_type(out.dataset_.get())));
  out.record_size_ = H5Tget_size(out.type_.get());
  const H5Space space(H5_CHECK(H5Dget_space(out.dataset_.get())));
  if (H5_CHECK(H5Sget_simple_extent_ndims(space.get())) != 1)
    throw_api_error("HDF5", "H5Sget_simple_extent_ndims", "not a one-dimensional dataset", __FILE__,
                    __LINE__);
  H5_CHECK(H5Sget_simple_extent_dims(space.get(), &out.rows_, nullptr));
  return out;
}

void RecordDataset::append(const std::byte* records, hsize_t count) {
  if (count == 0) return;
  const hsize_t new_rows = rows_ + count;
  H5_CHECK(H5Dset_extent(dataset_.get(), &new_rows));
  try {
    const H5Space file_space = select_rows(dataset_.get(), rows_, count);
    const H5Space memory_space(H5_CHECK(H5Screate_simple(1, &count, nullptr)));
    H5_CHECK(H5Dwrite(dataset_.get(), type_.get(), memory_space.get(), file_space.get(),
                      H5P_DEFAULT, records));
  } catch (const Hdf5Error&) {
    truncate(rows_);
    throw;
  }
  rows_ = new_rows;
}

bool RecordDataset::truncate(hsize_t rows) noexcept {
  if (!dataset_) return false;
  if (H5Dset_extent(dataset_.get(), &rows) < 0) return false;
  rows_ = rows;
  return true;
}

void RecordDataset::write_at(hsize_t index, const std::byte* record) {
  const H5Space file_space = select_rows(dataset_.get(), index, 1);
  const hsize_t one = 1;
  const H5Space memory_space(H5_CHECK(H5Screate_simple(1, &one, nullptr)));
  H5_CHECK(H5Dwrite(dataset_.get(), type_.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                    record));
}

std::vector<std::byte> RecordDataset::read(hsize_t first, hsize_t count) const {
  std::vector<std::byte> out(static_cast<std::size_t>(count) * record_size_);
  if (count == 0) return out;
  const H5Space file_space = select_rows(dataset_.get(), first, count);
  const H5Space memory_space(H5_CHECK(H5Screate_simple(1, &count, nullptr)));
  H5_CHECK(H5Dread(dataset_.get(), type_.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                   out.data()));
  return out;
}

void RecordDataset::flush() { H5_CHECK(H5Dflush(dataset_.get())); }

bool same_record_type(hid_t dataset_type, hid_t expected) {
  return H5Tequal(dataset_type, expected) > 0;
}

}  // namespace gs
