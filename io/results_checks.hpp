#pragma once
#include <map>
#include <string>

#include "io/h5_handle.hpp"

namespace gs {

// Checks that readers and --resume make before they rely on a file. Each throws StoreError
// (exit 2) with one line naming the file, what is wrong and what is allowed.

// The `format_version` attribute is present and one of kReadableFormatVersions.
void check_format_version(const std::string& path,
                          const std::map<std::string, std::string>& attributes);
// "2" or "2, 3": the versions this build reads, for messages.
std::string readable_format_versions();

// /results, /devices and /provenance are one-dimensional datasets (not groups, not 2-D).
void check_results_structure(const std::string& path, hid_t file);

// What --resume rewrites in place exists with the type it rewrites: the integer attribute
// `complete` and the fixed-length text attribute `finished_utc`. Checked before anything is
// written, so that a damaged file is refused unchanged.
void check_resumable_attributes(const std::string& path, hid_t file);

}  // namespace gs
