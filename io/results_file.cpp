#include "io/results_file.hpp"

#include "io/h5_attributes.hpp"
#include "io/h5_file.hpp"
#include "io/provenance_log.hpp"
#include "io/record_dataset.hpp"
#include "io/results_checks.hpp"
#include "io/results_layout.hpp"
#include "io/results_store.hpp"

namespace gs {

ResultsFile read_results_file(const std::string& path) {
  try {
    const H5File file = open_for_read(path);
    RecordDataset results, devices, provenance;
    const int version = open_results_layout(path, file.get(), results, devices, provenance);
    ResultsFile out;
    out.attributes = read_attributes_as_text(file.get());
    check_format_version(path, out.attributes);
    out.layout_version = version;
    out.rows = read_rows(results, version);
    const auto size = out.rows.size();
    std::erase_if(out.rows, is_unwritten_row);
    out.unwritten_rows = size - out.rows.size();
    out.devices = read_devices(devices);
    out.provenance = read_provenance(provenance);
    return out;
  } catch (const ApiError& e) {
    // A file that opens but cannot be read through (cut short, damaged) is a bad input too.
    throw StoreError(path + ": unreadable results file: " + e.what());
  }
}

}  // namespace gs
