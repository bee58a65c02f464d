#pragma once
#include <string>

namespace gs {

// Root attributes of a results file: enough to trust and compare a number months later.
struct RunProvenance {
  std::string job_name;
  std::string spec_text;  // the job file, verbatim
  std::string spec_hash;  // hex digest of the grid-defining part of the spec
  std::string backend;    // cuda | cpu | model
  std::string command_line;
  std::string gemmsweep_version;
  std::string git_revision;
  std::string library_versions;  // "hdf5 1.10.8; openmpi 4.1.4; cublas ..."
  std::string created_utc;       // ISO 8601
  std::string slurm_job_id;      // empty outside Slurm
  std::string hosts;             // comma-separated, as the ranks reported them
  int ranks = 1;
};

}  // namespace gs
