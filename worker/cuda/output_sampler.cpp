#include "worker/cuda/output_sampler.hpp"

#include <cstddef>
#include <random>

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/host_float.hpp"

namespace gs {

std::vector<SampledProduct> sample_products(const GemmShape& s, DType dtype,
                                            const GemmOperands& operands, int count,
                                            std::uint64_t seed, cudaStream_t stream) {
  const auto in = static_cast<std::size_t>(input_bytes(dtype));
  const auto out = static_cast<std::size_t>(output_bytes(dtype));
  const auto n = static_cast<std::size_t>(s.n);
  const auto* a = static_cast<const std::byte*>(operands.a);
  const auto* b = static_cast<const std::byte*>(operands.b);
  const auto* c = static_cast<const std::byte*>(operands.c);

  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> pick_b(0, s.batch - 1), pick_i(0, s.m - 1),
      pick_j(0, s.k - 1);
  std::vector<SampledProduct> samples(static_cast<std::size_t>(count));
  std::vector<std::byte> a_raw(n * in), b_raw(n * in), c_raw(out);
  for (SampledProduct& p : samples) {
    p.b = pick_b(rng);
    p.i = pick_i(rng);
    p.j = pick_j(rng);
    const auto bb = static_cast<std::size_t>(p.b), i = static_cast<std::size_t>(p.i),
               j = static_cast<std::size_t>(p.j), m = static_cast<std::size_t>(s.m),
               k = static_cast<std::size_t>(s.k);
    if (s.a_transposed) {
      // A stored [batch][n][m]: row i of op(A) is column i there, n elements m apart.
      CUDA_CHECK(cudaMemcpy2DAsync(a_raw.data(), in, a + (bb * n * m + i) * in, m * in, in, n,
                                   cudaMemcpyDeviceToHost, stream));
    } else {
      // Row i of A[b]: contiguous.
      CUDA_CHECK(cudaMemcpyAsync(a_raw.data(), a + (bb * m * n + i * n) * in, n * in,
                                 cudaMemcpyDeviceToHost, stream));
    }
    if (dtype == DType::fp8 || s.b_transposed) {
      // B stored [batch][k][n] (fp8, or a backward product's transposed B): column j of op(B) is
      // row j there, contiguous.
      CUDA_CHECK(cudaMemcpyAsync(b_raw.data(), b + (bb * k * n + j * n) * in, n * in,
                                 cudaMemcpyDeviceToHost, stream));
    } else {
      // B stored [batch][n][k]: column j is n elements k apart.
      CUDA_CHECK(cudaMemcpy2DAsync(b_raw.data(), in, b + (bb * n * k + j) * in, k * in, in, n,
                                   cudaMemcpyDeviceToHost, stream));
    }
    CUDA_CHECK(cudaMemcpyAsync(c_raw.data(), c + (bb * m * k + i * k + j) * out, out,
                               cudaMemcpyDeviceToHost, stream));
    CUDA_CHECK(cudaStreamSynchronize(stream));  // pageable host buffers are reused
    p.a_row.resize(n);
    p.b_col.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      p.a_row[r] = decode_input(a_raw.data() + r * in, dtype);
      p.b_col[r] = decode_input(b_raw.data() + r * in, dtype);
    }
    p.device_value = decode_output(c_raw.data(), dtype);
  }
  return samples;
}

}  // namespace gs
