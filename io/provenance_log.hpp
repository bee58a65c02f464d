#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "io/record_dataset.hpp"
#include "io/run_provenance.hpp"

namespace gs {

// Widths of the root attributes rewritten while the file is in SWMR mode.
inline constexpr std::size_t kUtcWidth = 32;

// The file's history lives in /provenance: one JSON object per event ("create", "resume",
// "merge", and for a merge one "input" entry per input file carrying that file's attributes and
// its own history), so that a merged or resumed file still says where every row came from.
std::string provenance_entry(const RunProvenance& provenance, std::string_view event);
void append_provenance(RecordDataset& log, const std::vector<std::string>& entries);
std::vector<std::string> read_provenance(const RecordDataset& log);

// Writes every root attribute of a new file (docs/results-format.md: job_name, spec_hash,
// git_revision, slurm_job_id, hosts, ranks, library_versions, finished_utc, complete).
void write_root_attributes(hid_t file, const RunProvenance& provenance);

// "2026-11-28T12:00:00Z"
std::string utc_now_iso8601();

}  // namespace gs
