#include "io/provenance_log.hpp"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "diagnostics/api_error.hpp"
#include "io/h5_attributes.hpp"
#include "io/h5_check.hpp"
#include "io/record_dataset.hpp"
#include "io/record_schema.hpp"

namespace gs {

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc = {};
  gmtime_r(&now, &utc);
  char buf[32] = {};
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::string provenance_entry(const RunProvenance& p, std::string_view event) {
  const nlohmann::json entry = {
      {"event", event},
      {"utc", utc_now_iso8601()},
      {"host", host_name()},
      {"job_name", p.job_name},
      {"spec_hash", p.spec_hash},
      {"backend", p.backend},
      {"command_line", p.command_line},
      {"gemmsweep_version", p.gemmsweep_version},
      {"git_revision", p.git_revision},
      {"library_versions", p.library_versions},
      {"created_utc", p.created_utc},
      {"slurm_job_id", p.slurm_job_id},
      {"hosts", p.hosts},
      {"ranks", p.ranks},
  };
  // The job text this run used: a resume may change [timing] (the spec_hash covers the grid
  // only), and the `spec` attribute, written at creation, keeps the first run's text.
  nlohmann::json with_spec = entry;
  with_spec["spec"] = p.spec_text;
  std::string text = with_spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() <= kProvenanceWidth) return text;
  with_spec["spec"] = nullptr;
  with_spec["spec_dropped"] = "too long for one provenance entry";
  return with_spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_provenance(RecordDataset& log, const std::vector<std::string>& entries) {
  std::vector<std::byte> records(entries.size() * kProvenanceWidth);
  for (std::size_t i = 0; i < entries.size(); ++i)
    put_fixed_text(entries[i], records.data() + i * kProvenanceWidth, kProvenanceWidth);
  log.append(records.data(), entries.size());
}

std::vector<std::string> read_provenance(const RecordDataset& log) {
  const std::vector<std::byte> records = log.read(0, log.rows());
  const std::size_t width = log.record_size();
  std::vector<std::string> out;
  for (hsize_t i = 0; i < log.rows(); ++i)
    out.push_back(get_fixed_text(records.data() + i * width, width));
  return out;
}

void write_root_attributes(hid_t file, const RunProvenance& p) {
  write_int_attribute(file, "format_version", kFormatVersion);
  write_text_attribute(file, "gemmsweep_version", p.gemmsweep_version);
  write_text_attribute(file, "git_revision", p.git_revision);
  write_text_attribute(file, "job_name", p.job_name);
  write_text_attribute(file, "spec", p.spec_text);
  write_text_attribute(file, "spec_hash", p.spec_hash);
  write_text_attribute(file, "backend", p.backend);
  write_text_attribute(file, "created_utc",
                       p.created_utc.empty() ? utc_now_iso8601() : p.created_utc);
  write_fixed_text_attribute(file, "finished_utc", "", kUtcWidth);
  write_text_attribute(file, "command_line", p.command_line);
  write_text_attribute(file, "slurm_job_id", p.slurm_job_id);
  write_text_attribute(file, "hosts", p.hosts);
  write_int_attribute(file, "ranks", p.ranks);
  std::string libraries = p.library_versions;
  if (libraries.find("hdf5") == std::string::npos)
    libraries += (libraries.empty() ? "" : "; ") + hdf5_version_string();
  write_text_attribute(file, "library_versions", libraries);
  write_int_attribute(file, "complete", 0);
}

}  // namespace gs
