#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "advise/advise_spec.hpp"
#include "advise/candidate.hpp"
#include "jobs/grid.hpp"

namespace gs {

// One GEMM that some candidates need, measured once for all of them.
struct DistinctProduct {
  Op op = Op::qkv_transform;  // of the first candidate that needs it
  Point point;                // that candidate's point (dtype included)
  GemmShape shape;
};

// The candidates of an [advise] table and the distinct GEMMs they need.
struct AdvisePlan {
  std::vector<Candidate> candidates;  // kept ones, in expansion order
  std::uint64_t considered = 0;       // every combination of the axes
  std::uint64_t dropped = 0;
  // Reason with its numbers replaced by N -> (count, first full example), as plan shows them.
  std::map<std::string, std::pair<std::uint64_t, std::string>> dropped_by_reason;
  std::optional<std::size_t> baseline;  // index into candidates
  std::string baseline_problem;         // why the baseline shape is not a candidate, if it is not
  std::vector<DistinctProduct> products;
  // Distinct (dtype, b, s, h, t > 1) whose all-reduce the sweep measures (measure_collectives).
  std::vector<Point> collectives;
  std::uint64_t product_uses = 0;  // products of all candidates before deduplication
};

// Number of axis combinations the table describes (saturating), before anything is expanded.
std::uint64_t advise_combinations(const AdviseSpec& spec, std::size_t dtypes);
// Expands the axes (dtype slowest, then hidden_size, heads or head_dim, layers, vocab_size,
// pad_vocab_to, ffn_hidden_size, microbatch, seq_length, tensor_parallel), drops invalid and
// out-of-budget candidates with a reason and deduplicates their GEMMs.
AdvisePlan plan_advice(const AdviseSpec& spec, const std::vector<DType>& dtypes);
// Whether the candidate's step measures backward products (fp8's are out of scope).
bool measures_backward(const AdviseSpec& spec, const Candidate& c);

// The sweep of the distinct products: task ids from their index, so the same job gives the
// same ids on every rank and every resume.
Grid advise_grid(const AdvisePlan& plan);
// Canonical text of the products (JobSpec::grid_definition).
std::string products_definition(const AdvisePlan& plan);

}  // namespace gs
