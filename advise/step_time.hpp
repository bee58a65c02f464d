#pragma once
#include <map>
#include <string>
#include <vector>

#include "advise/advise_spec.hpp"
#include "advise/candidate.hpp"
#include "advise/time_source.hpp"

namespace gs {

// One candidate's time (docs/advise.md, "Formulas"):
//   layer time  = sum of its forward GEMMs + 2 all-reduces of b·s·h (t > 1)
//   step time   = L·(layer forward + layer backward) + logit forward + logit backward, the
//                 backward from measured rows, or 3 x the forward where any is missing
struct StepEstimate {
  double layer_time_s = 0;      // forward of one layer, collectives included
  double layer_backward_s = 0;  // measured backward of one layer, collectives included
  double logit_s = 0;           // forward and backward of the logit, once per model
  double step_time_s = 0;
  double spread_s = 0;               // sum of each product's confidence half-width, as used
  bool complete = false;             // every forward product had a time
  bool measured = true;              // no product predicted
  bool backward_measured = false;    // else backward = 2 x forward
  bool comm_estimated = false;       // some all-reduce from the estimate, not a row
  std::vector<std::string> missing;  // products without a time (the first few)
  std::map<Op, double> op_seconds;   // per forward op, its backward folded in, per step
};

StepEstimate estimate_step(const Candidate& c, const AdviseSpec& spec, const TimeSource& source);

}  // namespace gs
