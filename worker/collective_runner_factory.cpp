#include "worker/collective_runner_factory.hpp"

#include <stdexcept>

#include "worker/comm/mpi_collective_runner.hpp"
#ifdef GEMMSWEEP_WITH_NCCL_RUNNER
#include "worker/nccl/nccl_collective_runner.hpp"
#endif

namespace gs {
namespace {
#ifdef GEMMSWEEP_WITH_NCCL_RUNNER
constexpr bool kWithNccl = true;
#else
constexpr bool kWithNccl = false;
#endif
}  // namespace

bool has_collective_runner(const std::string& kind) {
  return kind == "cpu" || (kWithNccl && kind == "cuda");
}

std::unique_ptr<CollectiveRunner> make_collective_runner(const std::string& kind,
                                                         [[maybe_unused]] int device_index) {
  if (kind == "cpu") return std::make_unique<MpiCollectiveRunner>();
#ifdef GEMMSWEEP_WITH_NCCL_RUNNER
  if (kind == "cuda") return std::make_unique<NcclCollectiveRunner>(device_index);
#endif
  throw std::invalid_argument("backend " + kind +
                              " has no collectives; use --backend cpu (MPI) or cuda (NCCL)");
}

}  // namespace gs
