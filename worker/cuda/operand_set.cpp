#include "worker/cuda/operand_set.hpp"

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/device_kernels.hpp"
#include "worker/splitmix64.hpp"

namespace gs {

std::size_t input_elements_a(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.m * s.n);
}
std::size_t input_elements_b(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.n * s.k);
}
std::size_t output_elements(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.m * s.k);
}
std::size_t operand_set_bytes(const GemmShape& s, DType d) {
  return (input_elements_a(s) + input_elements_b(s)) * static_cast<std::size_t>(input_bytes(d)) +
         output_elements(s) * static_cast<std::size_t>(output_bytes(d));
}

OperandSet make_operand_set(const GemmShape& s, DType d, std::uint64_t seed, cudaStream_t stream) {
  const auto in = static_cast<std::size_t>(input_bytes(d));
  OperandSet set{DeviceBuffer(input_elements_a(s) * in), DeviceBuffer(input_elements_b(s) * in),
                 DeviceBuffer(output_elements(s) * static_cast<std::size_t>(output_bytes(d)))};
  fill_uniform(set.a.get(), input_elements_a(s), d, seed, stream);
  fill_uniform(set.b.get(), input_elements_b(s), d, splitmix64(seed), stream);
  // C is written, never read (beta = 0); a memset keeps stale NaNs out of a failed check.
  CUDA_CHECK(cudaMemsetAsync(set.c.get(), 0, set.c.size(), stream));
  return set;
}

}  // namespace gs
