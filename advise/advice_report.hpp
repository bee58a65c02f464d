#pragma once
#include <cstddef>
#include <string>

#include "advise/advise_job.hpp"
#include "advise/ranking.hpp"

namespace gs {

// What the source of the times was, for the report's header and notes.
struct AdviceContext {
  std::string results_path;
  std::string backend;
  std::string device;
  bool predicted_missing = false;
  std::size_t missing_products = 0;  // distinct GEMMs the file has no row of
  std::string missing_example;
};

// The top candidates, the baseline's rank, the best's speedup over it, the GEMMs that make the
// difference, and the notes (what a step leaves out, what was estimated).
std::string render_advice(const AdviseJob& job, const Advice& advice, const AdviceContext& context);
// The notes alone, one per line (also the /advice dataset's attribute).
std::string advice_notes(const AdviseJob& job, const Advice& advice, const AdviceContext& context);
// `plan` on an advise job: candidates, dropped ones by reason, distinct GEMMs.
std::string render_advise_plan(const AdviseJob& job);

}  // namespace gs
