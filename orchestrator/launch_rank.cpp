#include "orchestrator/launch_rank.hpp"

#include <cstdlib>
#include <string>

namespace gs {

bool first_launched_process() {
  for (const char* var : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"})
    if (const char* v = std::getenv(var)) return std::string(v) == "0";
  return true;
}

}  // namespace gs
