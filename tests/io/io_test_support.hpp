#pragma once
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/result_row.hpp"
#include "io/results_store.hpp"
#include "io/run_provenance.hpp"
#include "tests/worker/worker_test_support.hpp"

namespace gs::testing {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/gemmsweep-io-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A row whose every field is a distinct function of id, so that a mix-up of fields shows.
inline ResultRow sample_row(std::uint64_t id, const std::string& status = "ok") {
  ResultRow r;
  const auto i = static_cast<std::int64_t>(id);
  const double d = static_cast<double>(id);
  r.task_id = id;
  r.point_id = id / 2;
  r.op = id % 2 ? "attention_score" : "attention_linear_projection";
  r.dtype = id % 3 ? "fp16" : "bf16";
  r.hidden_size = 32 * (i + 1);
  r.heads = 32;
  r.head_dim = i + 1;
  r.microbatch = 4 + i % 3;
  r.seq_length = 2048;
  r.tensor_parallel = 1 + i % 2;
  r.vocab_size = 50257;
  r.batch = 128 + i;
  r.m = 2048 + i;
  r.n = i + 1;
  r.k = 4096 + i;
  r.flops = 2.0 * static_cast<double>(r.batch * r.m * r.n * r.k);
  r.samples = static_cast<std::int32_t>(10 + id % 50);
  r.time_s = 1e-3 * (d + 1);
  r.time_min_s = 0.9e-3 * (d + 1);
  r.time_mean_s = 1.1e-3 * (d + 1);
  r.time_std_s = 1e-5 * (d + 1);
  r.rel_ci = 0.01 + 1e-6 * d;
  r.tflops = r.flops / r.time_s / 1e12;
  r.converged = id % 2 == 0;
  r.launches_per_sample = 1 + static_cast<std::int32_t>(id % 8);
  r.status = status;
  r.message = status == "ok"
                  ? (id % 5 ? "" : "launches batched x8")
                  : "cuBLAS error: CUBLAS_STATUS_EXECUTION_FAILED, id " + std::to_string(id);
  r.rank = static_cast<std::int32_t>(id % 7);
  r.attempt = static_cast<std::int32_t>(id % 3);
  r.host = "node" + std::to_string(id % 4);
  r.device = "NVIDIA H200";
  r.compute_dtype = "fp32";
  r.algo = "cublasLt algo " + std::to_string(id % 23) + " tile 128x256";
  r.sm_clock_before_mhz = 1980;
  r.sm_clock_after_mhz = 1980 - d;
  r.temperature_before_c = 40 + d / 100;
  r.temperature_after_c = 45 + d / 100;
  r.power_before_w = 300 + d;
  r.power_after_w = 500 + d;
  r.throttle_reasons = id % 4 == 3 ? 0x20 : 0x1;
  r.started_unix = 1.7e9 + d;
  if (status == "ok") r.stop_reason = r.converged ? "converged" : "max_samples";
  return r;
}

inline RunProvenance sample_provenance(const std::string& spec_hash = "abc123") {
  RunProvenance p;
  p.job_name = "attention-score-a32";
  p.spec_text = "name = \"attention-score-a32\"\nops = [\"attention_score\"]\n";
  p.spec_hash = spec_hash;
  p.backend = "cuda";
  p.command_line = "gemmsweep run job.toml -o out.h5";
  p.gemmsweep_version = "0.1.0";
  p.git_revision = "4a9d20d";
  p.library_versions = "openmpi 4.1.4; cublas 12.8";
  p.created_utc = "2026-11-28T12:00:00Z";
  p.slurm_job_id = "4242";
  p.hosts = "node0,node1";
  p.ranks = 8;
  return p;
}

// A closed results file holding `rows` and `devices`, complete or not.
inline void write_results_file(const std::string& path, const RunProvenance& provenance,
                               const std::vector<ResultRow>& rows,
                               const std::vector<DeviceInfo>& devices = {}, bool complete = true) {
  ResultsStore store = ResultsStore::create(path, provenance);
  store.append(rows);
  store.add_devices(devices);
  store.close(complete);
}

// Rows sample_row(first) .. sample_row(first + count - 1).
inline std::vector<ResultRow> sample_rows(std::uint64_t first, std::uint64_t count,
                                          const std::string& status = "ok") {
  std::vector<ResultRow> rows;
  for (std::uint64_t id = first; id < first + count; ++id) rows.push_back(sample_row(id, status));
  return rows;
}

}  // namespace gs::testing
