#include "io/results_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "io/h5_check.hpp"
#include "io/record_dataset.hpp"
#include "io/record_schema.hpp"
#include "io/results_store.hpp"

namespace gs {
namespace {

bool readable(long version) {
  return std::find(std::begin(kReadableFormatVersions), std::end(kReadableFormatVersions),
                   version) != std::end(kReadableFormatVersions);
}

// The class of attribute `name` of `object`, or H5T_NO_CLASS when it is missing or unreadable.
H5T_class_t attribute_class(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return H5T_NO_CLASS;
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  if (attribute < 0) return H5T_NO_CLASS;
  const hid_t type = H5Aget_type(attribute);
  const H5T_class_t type_class = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
  const bool variable = type >= 0 && type_class == H5T_STRING && H5Tis_variable_str(type) > 0;
  if (type >= 0) H5Tclose(type);
  H5Aclose(attribute);
  // A variable-length string cannot be overwritten in place in SWMR mode: not what resume needs.
  return variable ? H5T_NO_CLASS : type_class;
}

}  // namespace

std::string readable_format_versions() {
  return fmt::format("{}", fmt::join(kReadableFormatVersions, ", "));
}

void check_format_version(const std::string& path,
                          const std::map<std::string, std::string>& attributes) {
  const auto it = attributes.find("format_version");
  if (it == attributes.end())
    throw StoreError(fmt::format(
        "{}: no format_version attribute; this gemmsweep reads format_version {} (a damaged or "
        "foreign file)",
        path, readable_format_versions()));
  long version = 0;
  const std::string& text = it->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || !readable(version))
    throw StoreError(fmt::format(
        "{}: format_version {} is not one this gemmsweep reads (it reads format_version {}); use "
        "the gemmsweep that wrote it, or a newer one",
        path, text.substr(0, 40), readable_format_versions()));
}

void check_results_structure(const std::string& path, hid_t file) {
  for (const char* name : {kResultsDataset, kDevicesDataset, kProvenanceDataset}) {
    const hid_t object =
        H5Lexists(file, name, H5P_DEFAULT) > 0 ? H5Oopen(file, name, H5P_DEFAULT) : -1;
    if (object < 0)
      throw StoreError(
          fmt::format("{}: not a gemmsweep results file (no /{} dataset)", path, name));
    const bool is_dataset = H5Iget_type(object) == H5I_DATASET;
    H5Oclose(object);
    if (!is_dataset)
      throw StoreError(
          fmt::format("{}: /{} is not a dataset (a group or another object); a "
                      "results file holds /{} as a one-dimensional dataset",
                      path, name, name));
    const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
    const hid_t space = dataset < 0 ? -1 : H5Dget_space(dataset);
    const int rank = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
    if (space >= 0) H5Sclose(space);
    if (dataset >= 0) H5Dclose(dataset);
    if (rank != 1)
      throw StoreError(fmt::format(
          "{}: /{} has {} dimension(s); a results file holds it as a one-dimensional dataset", path,
          name, rank < 0 ? std::string("unreadable") : std::to_string(rank)));
  }
}

void check_resumable_attributes(const std::string& path, hid_t file) {
  if (attribute_class(file, "complete") != H5T_INTEGER)
    throw StoreError(fmt::format(
        "{}: attribute 'complete' is missing or not an integer; --resume rewrites it, so it "
        "refuses a damaged file (write to a new file, or merge this one into a new file)",
        path));
  if (attribute_class(file, "finished_utc") != H5T_STRING)
    throw StoreError(fmt::format(
        "{}: attribute 'finished_utc' is missing or not fixed-length text; --resume rewrites "
        "it, so it refuses a damaged file (write to a new file, or merge this one into a new "
        "file)",
        path));
}

}  // namespace gs
