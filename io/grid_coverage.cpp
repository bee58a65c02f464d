#include "io/grid_coverage.hpp"

#include <exception>
#include <set>

#include "io/row_key.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_parser.hpp"

namespace gs {

Grid grid_of_job_file_text(const std::string& spec_text) {
  return expand(parse_job_text(spec_text, "spec attribute"));
}

GridCoverage grid_coverage(const std::vector<std::string>& spec_texts,
                           const std::vector<ResultRow>& rows, const GridOfJobText& grid_of) {
  GridCoverage out;
  std::set<RowKey> grid;
  try {
    for (const std::string& text : spec_texts) {
      const Grid g = grid_of(text);
      for (const Task& t : g.tasks) grid.insert(key_of(make_skipped_row({t, ""})));
      for (const SkippedTask& s : g.skipped) grid.insert(key_of(make_skipped_row(s)));
    }
  } catch (const std::exception& e) {
    out.problem = e.what();
    return out;
  }
  out.known = !spec_texts.empty();
  if (!out.known) out.problem = "no job text";
  out.tasks = grid.size();
  // What stays in `grid` lacks a row; erasing as we go keeps one set, not two, for big grids.
  for (const ResultRow& r : rows)
    if (r.status == "ok" || r.status == "skipped") grid.erase(key_of(r));
  out.missing = grid.size();
  return out;
}

}  // namespace gs
