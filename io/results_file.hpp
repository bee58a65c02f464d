#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "io/result_row.hpp"
#include "io/run_provenance.hpp"
#include "worker/device_info.hpp"

namespace gs {

// A results file read back whole (report, merge, tests). Throws StoreError on a missing,
// truncated or foreign file, performing crash recovery first if the file needs it.
struct ResultsFile {
  std::map<std::string, std::string> attributes;  // root attributes as text
  std::vector<ResultRow> rows;                    // written rows only
  // Rows left out of `rows` because their status is empty: never written (a write failed after
  // /results grew, in a file of a gemmsweep that did not shrink it back).
  std::size_t unwritten_rows = 0;
  std::vector<DeviceInfo> devices;
  std::vector<std::string> provenance;  // /provenance: one JSON object per create/resume/merge
  int layout_version = 0;               // the format_version of /results' layout
};

ResultsFile read_results_file(const std::string& path);

}  // namespace gs
