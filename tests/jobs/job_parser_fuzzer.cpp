// libFuzzer target: any bytes given as a job file either parse into a spec whose grid can be
// counted, or raise JobError. Nothing else (crash, other exception, leak, hang) is allowed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const gs::JobSpec spec = gs::parse_job_text(text, "fuzz.toml");
    // Expanding is bounded by kMaxGridPoints; keep fuzz iterations fast by expanding small grids.
    if (gs::grid_point_count(spec) <= 4096) (void)gs::expand(spec);
  } catch (const gs::JobError&) {
  }
  return 0;
}
