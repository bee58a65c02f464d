#pragma once
#include <string>
#include <vector>

#include "jobs/axis.hpp"
#include "jobs/dtype.hpp"
#include "jobs/op.hpp"
#include "jobs/timing_settings.hpp"

namespace gs {

// [model]: two of heads, head_dim, hidden_size are given and the third is derived.
struct ModelAxes {
  Axis heads{"heads", {}};
  Axis head_dim{"head_dim", {}};
  Axis hidden_size{"hidden_size", {}};
  Axis microbatch{"microbatch", {}};
  Axis seq_length{"seq_length", {}};
  Axis tensor_parallel{"tensor_parallel", {}};
  Axis vocab_size{"vocab_size", {}};
  bool operator==(const ModelAxes&) const = default;
};

// [shape]: raw gemm / bmm studies.
struct ShapeAxes {
  Axis batch{"batch", {}};
  Axis m{"m", {}};
  Axis n{"n", {}};
  Axis k{"k", {}};
  bool operator==(const ShapeAxes&) const = default;
};

// [comm]: collective-only studies; message size in bytes and ranks per collective.
struct CommAxes {
  Axis bytes{"bytes", {}};
  Axis group_size{"group_size", {}};
  bool operator==(const CommAxes&) const = default;
};

// [run]: defaults for `gemmsweep run` that the command line may override.
struct RunSettings {
  std::string backend = "auto";  // auto | cuda | cpu | model
  std::string gpu = "A100";      // GPU the model backend and `plan` estimate for
  std::string order = "cost";    // cost | shuffle | grid
  bool autotune = false;
  bool operator==(const RunSettings&) const = default;
};

// A validated job file. `text` is the file's content, kept for provenance and resume checks.
struct JobSpec {
  std::string path;
  std::string text;
  std::string name;
  std::vector<Op> ops;
  std::vector<DType> dtypes;
  ModelAxes model;
  ShapeAxes shape;
  CommAxes comm;
  TimingSettings timing;
  RunSettings run;
  // A job whose tasks another room lists (advise: the distinct GEMMs of its candidates) says here,
  // in canonical text, what defines them; spec_fingerprint() hashes it so that resume and merge
  // refuse a file of other candidates. Empty for a job that expand() turns into its grid.
  std::string grid_definition;

  bool raw() const { return !ops.empty() && is_raw(ops.front()); }
  // Collectives with their own axes ([comm]); otherwise a model job's collectives derive theirs.
  bool comm_job() const { return comm.bytes.given(); }
};

}  // namespace gs
