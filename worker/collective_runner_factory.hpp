#pragma once
#include <memory>
#include <string>

#include "worker/comm/collective_runner.hpp"

namespace gs {

// "cpu": MPI collectives on host buffers (worker/comm). "cuda": NCCL on the device
// `device_index` (worker/nccl, only when built with NCCL). Throws std::invalid_argument for a
// backend without collectives (model).
std::unique_ptr<CollectiveRunner> make_collective_runner(const std::string& kind, int device_index);
// Whether make_collective_runner knows `kind`.
bool has_collective_runner(const std::string& kind);

}  // namespace gs
