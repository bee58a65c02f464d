#include "illegal_write_kernel.hpp"

namespace gs::test {
namespace {

// Stores through a null pointer: an illegal address, the runtime's commonest sticky error.
__global__ void write_through_null(int* target) { *target = 1; }

}  // namespace

void launch_illegal_write(cudaStream_t stream) { write_through_null<<<1, 1, 0, stream>>>(nullptr); }

}  // namespace gs::test
