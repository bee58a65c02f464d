// Test helper for the Python loader test: writes a results file from C++ and, next to it, a JSON
// file with every value it wrote, for test_loader.py to compare against what h5py reads.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "io/record_schema.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace {

// JSON has no NaN: a value not read is written as the string "NaN" for the test to expect.
struct ToJson {
  nlohmann::ordered_json* out;
  template <class T, class Access>
  void column(const gs::ColumnInfo& c, const T& value, Access) {
    auto& slot = (*out)[std::string(c.name)];
    if constexpr (std::is_floating_point_v<T>)
      slot = std::isnan(value) ? nlohmann::ordered_json("NaN") : nlohmann::ordered_json(value);
    else
      slot = value;
  }
};

nlohmann::ordered_json to_json(const gs::ResultRow& row) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  ToJson visitor{&j};
  gs::visit_result_columns(row, visitor);
  return j;
}

nlohmann::ordered_json to_json(const gs::DeviceInfo& device) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  ToJson visitor{&j};
  gs::visit_device_columns(device, visitor);
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string path = argv[1];
  const gs::RunProvenance provenance = gs::testing::sample_provenance();
  nlohmann::ordered_json expected;
  std::vector<gs::ResultRow> rows;
  const char* statuses[] = {"ok", "ok", "skipped", "failed"};
  for (std::uint64_t i = 0; i < 100; ++i)
    rows.push_back(gs::testing::sample_row(i, statuses[i % 4]));
  rows[5].message = "non-ASCII stays readable: µs, naïve";
  // Telemetry a backend did not read (cpu, model, no NVML) is NaN, not 0.
  for (std::size_t i = 0; i < rows.size(); i += 3) {
    rows[i].power_before_w = rows[i].power_after_w = gs::kNotRead;
    rows[i].sm_clock_before_mhz = rows[i].temperature_after_c = gs::kNotRead;
  }
  const std::vector<gs::DeviceInfo> devices = {gs::testing::sample_device(0),
                                               gs::testing::sample_device(1, "node1")};
  gs::ResultsStore store = gs::ResultsStore::create(path, provenance);
  store.append(rows);
  store.add_devices(devices);
  store.close(true);
  for (const auto& r : rows) expected["rows"].push_back(to_json(r));
  for (const auto& d : devices) expected["devices"].push_back(to_json(d));
  expected["attributes"] = {
      {"job_name", provenance.job_name},         {"spec", provenance.spec_text},
      {"spec_hash", provenance.spec_hash},       {"backend", provenance.backend},
      {"command_line", provenance.command_line}, {"ranks", provenance.ranks},
      {"slurm_job_id", provenance.slurm_job_id}};
  std::ofstream(argv[2]) << expected.dump(1);
  return 0;
}
