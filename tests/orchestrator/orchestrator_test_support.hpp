#pragma once
// Job builders shared by the orchestrator's tests.
#include <string>

#include "jobs/job_parser.hpp"
#include "jobs/job_spec.hpp"

namespace gs::testing {

// QK^T and attention over values at 32 heads, microbatch 1, head_dim 1..head_dim_stop:
// two tasks per point, cheap and costly ones, for ordering and scheduling tests.
// `tensor_parallel` is the TOML value, e.g. "1" or "[1, 3]" (t = 3 yields skipped points).
inline JobSpec two_op_attention_job(int head_dim_stop, int seq_length,
                                    const std::string& tensor_parallel) {
  const std::string text =
      "name = \"two-op\"\n"
      "ops = [\"attention_score\", \"attention_over_value\"]\n"
      "dtype = \"fp16\"\n"
      "[model]\n"
      "heads = 32\n"
      "head_dim = { start = 1, stop = " +
      std::to_string(head_dim_stop) +
      " }\n"
      "microbatch = 1\n"
      "seq_length = " +
      std::to_string(seq_length) + "\ntensor_parallel = " + tensor_parallel + "\n";
  return parse_job_text(text, "two_op.toml");
}

}  // namespace gs::testing
