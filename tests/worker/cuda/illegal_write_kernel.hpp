#pragma once
#include <cuda_runtime_api.h>

namespace gs::test {

// Launches a kernel that faults on `stream`, leaving this process's context with a sticky error
// (cudaErrorIllegalAddress): for a death test, whose child process alone it ruins.
void launch_illegal_write(cudaStream_t stream);

}  // namespace gs::test
