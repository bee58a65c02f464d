#pragma once
#include <cstddef>
#include <cstdint>

#include "jobs/dtype.hpp"

namespace gs {

// Reads and writes one element of a collective's buffer in its storage dtype (fp16, bf16, fp32,
// fp64), so that the buffers hold what a GPU would move and the checks read them back.
void store_element(DType d, std::byte* base, std::size_t index, double value);
double load_element(DType d, const std::byte* base, std::size_t index);

}  // namespace gs
