// The report's count of ok rows that the stopping rule did not let converge.
#include <algorithm>
#include <cmath>
#include <map>

#include "io/report.hpp"
#include "io/report_data.hpp"

namespace gs {

void count_unconverged(const std::vector<ResultRow>& rows, ReportData& data) {
  std::map<std::pair<std::string, int>, UnconvergedGroup> groups;
  for (const ResultRow& r : rows) {
    if (r.status != "ok") continue;
    ++data.ok_rows;
    UnconvergedGroup& g = groups[{r.op, pow2_class(r.head_dim)}];
    g.op = r.op;
    g.pow2_class = pow2_class(r.head_dim);
    ++g.rows;
    if (r.converged) continue;
    ++data.unconverged_rows;
    ++g.unconverged;
    // Infinity (too few samples for an interval) is the worst there is.
    if (!std::isnan(r.rel_ci)) g.worst_rel_ci = std::max(g.worst_rel_ci, r.rel_ci);
    ++g.stop_reasons[r.stop_reason];
  }
  for (auto& [key, group] : groups)
    if (group.unconverged > 0) data.unconverged.push_back(std::move(group));
}

}  // namespace gs
