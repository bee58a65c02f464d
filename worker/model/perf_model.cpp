// The analytic GEMM model. One call's time is
//
//   total = compute + memory + launch
//
// compute  Output tiles are spread over the SMs in waves; the GEMM takes whole waves of whole
//          tiles (tile and wave quantization: a dimension one past a tile multiple costs a whole
//          extra tile, and tiles past a multiple of the SM count cost a whole extra wave). A tile
//          costs its main loop, 2*tile_m*tile_n*n_padded FLOPs at the SM's share of the effective
//          peak, plus a fixed prologue/epilogue cost (ModelTerms::tile_overhead_s): the cost of a
//          small reduction dimension, where that fixed part dominates. n is padded to the MMA
//          depth. Like cuBLAS's heuristic, the model picks the tile (from the spec's tile menu)
//          with the least time. The effective peak is the datasheet peak x sustained / boost
//          clock (1 without a measured sustained clock) x ModelTerms::compute_efficiency.
// memory   The unique bytes of A, B and C over the effective HBM bandwidth: the roofline's
//          other side. It is added, not overlapped: for the small-reduction GEMMs where it
//          matters (QK^T), a tile's stores come after its short main loop, not during it.
// align    The largest power of two dividing the leading dimensions (n of A, k of B and C; m of
//          an A and n of a B stored transposed, as the backward products store them), in
//          bytes, capped at 128 bytes (the tensor-core width, 64 fp16 elements). Below 16 bytes
//          no 128-bit vector loads are possible; below 32 bytes rows straddle DRAM sectors. The
//          factors slow the main loop and the stores (ModelTerms::alignment).
// stream-K Where the spec says the library has stream-K kernels (Hopper), a partial last wave
//          after whole ones may instead be spread over every SM, if that is faster.
// launch   A fixed ModelTerms::launch_s per call.
//
// Calibrated against Fig. 7a of arXiv:2401.14489 (A100, fp16 QK^T, a = 32): docs/model.md.
#include "worker/model/perf_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "jobs/saturating_math.hpp"

namespace gs {
namespace {

constexpr int kMmaDepthBytes = 32;  // 16 fp16 elements: the depth of one mma instruction
constexpr int kTensorCoreWidthBytes = 128;
// Split-K: a split's main loop keeps at least this many bytes of reduction, so that it still
// fills the software pipeline (a few 64-byte k-blocks) it pays its prologue for. Set by hand.
constexpr std::int64_t kMinSplitDepthBytes = 1024;
constexpr int kPartialSumBytes = 4;  // split-K partial tiles are fp32

// Without a + b - 1, which would wrap for a saturated count.
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

std::int64_t largest_power_of_two_dividing(std::int64_t v) {
  if (v <= 0) return 1;
  return v & -v;
}

double dtype_peak(double value, double fallback) { return value > 0 ? value : fallback; }

// In floating point: the saturated integer counts would understate a huge shape's time.
double tile_count(std::int64_t m, std::int64_t k, std::int64_t batch, const TileShape& t) {
  return static_cast<double>(ceil_div(m, t.m)) * static_cast<double>(ceil_div(k, t.n)) *
         static_cast<double>(batch);
}

// Stream-K's hybrid schedule (Osama et al., PPoPP 2023, "data-parallel + one stream-K wave";
// CUTLASS 3's sm90 stream-K tile scheduler): the whole waves run one tile per slot, and the
// main loops of the partial last wave's tiles are cut into equal shares, one per slot. Each slot
// pays a tile's fixed cost once more and writes an fp32 partial tile that the tile's owner
// reads back (`partials_s`, at the effective bandwidth: L2 would be faster, so this errs slow).
// HUGE_VAL where there is no partial last wave after a whole one.
double stream_k_seconds(double tiles, double slots, double main_loop_s, double overhead_s,
                        double partials_s) {
  const double whole = std::floor(tiles / slots), rest = tiles - whole * slots;
  if (whole < 1 || rest <= 0) return HUGE_VAL;
  return whole * (main_loop_s + overhead_s) + rest / slots * main_loop_s + overhead_s + partials_s;
}

}  // namespace

double peak_tflops_for(DType dtype, const GpuSpec& gpu) {
  switch (dtype) {
    case DType::fp16:
      return gpu.peak_tflops;
    case DType::bf16:
      return gpu.has_bf16 ? gpu.peak_tflops : gpu.fp32_tflops;
    case DType::tf32:
      return dtype_peak(gpu.tf32_tflops, gpu.fp32_tflops);
    case DType::fp32:
      return gpu.fp32_tflops;
    case DType::fp8:
      return dtype_peak(gpu.fp8_tflops, gpu.peak_tflops);
    case DType::fp64:
      return gpu.fp64_tflops;
  }
  return gpu.peak_tflops;
}

DType compute_dtype_on(DType requested, const GpuSpec& gpu) {
  if (requested == DType::tf32 && gpu.tf32_tflops <= 0) return DType::fp32;
  return requested;
}

std::string unsupported_reason(DType dtype, const GpuSpec& gpu) {
  if (dtype == DType::fp8 && gpu.fp8_tflops <= 0) return gpu.name + " has no fp8 tensor cores";
  if (dtype == DType::bf16 && !gpu.has_bf16) return gpu.name + " has no bf16 tensor cores";
  return {};
}

ModelBreakdown explain_prediction(const GemmShape& s, DType dtype, const GpuSpec& gpu) {
  ModelBreakdown b;
  const std::int64_t batch = std::max<std::int64_t>(1, s.batch);
  const std::int64_t m = std::max<std::int64_t>(1, s.m), n = std::max<std::int64_t>(1, s.n),
                     k = std::max<std::int64_t>(1, s.k);
  const int element = input_bytes(dtype);

  const std::int64_t lda = s.a_transposed ? m : n, ldb = s.b_transposed ? n : k;
  const std::int64_t leading = std::gcd(std::gcd(lda, ldb), k);
  b.alignment_bytes = static_cast<int>(std::min<std::int64_t>(
      largest_power_of_two_dividing(leading) * element, kTensorCoreWidthBytes));
  const ModelTerms& terms = gpu.terms_for(dtype);
  for (const AlignmentClass& f : terms.alignment) {
    if (b.alignment_bytes < f.min_bytes) continue;
    b.alignment_compute_factor = f.compute;
    b.alignment_memory_factor = f.memory;
    break;
  }

  const std::int64_t depth = std::max(1, kMmaDepthBytes / element);
  b.padded_reduction = ceil_div(n, depth) * depth;
  b.peak_tflops = peak_tflops_for(dtype, gpu);
  // The clock ratio is exactly 1 without a measured sustained clock, so such specs predict bit
  // for bit what they did before it was a field.
  const double sm_flops_per_s = b.peak_tflops * 1e12 * gpu.clock_ratio() *
                                terms.compute_efficiency * b.alignment_compute_factor /
                                std::max(1, gpu.sm_count);

  const double partial_bytes_per_s = gpu.bandwidth_tbs * 1e12 * terms.bandwidth_efficiency;
  b.compute_s = HUGE_VAL;
  for (const TileShape& t : gpu.tiles) {
    const std::int64_t tiles =
        saturating_mul(saturating_mul(ceil_div(m, t.m), ceil_div(k, t.n)), batch);
    const std::int64_t slots = static_cast<std::int64_t>(gpu.sm_count) * t.ctas_per_sm;
    // Split-K (cuBLAS, rocBLAS; what Stream-K does when there is less than one wave): when the
    // tiles leave slots idle, the reduction is cut into `split` slices run side by side, each
    // writing an fp32 partial tile that one more pass sums.
    const std::int64_t split =
        tiles < slots
            ? std::max<std::int64_t>(
                  1, std::min(slots / tiles, b.padded_reduction * element / kMinSplitDepthBytes))
            : 1;
    const std::int64_t slice = ceil_div(ceil_div(b.padded_reduction, split), depth) * depth;
    const std::int64_t waves = ceil_div(saturating_mul(tiles, split), slots);
    // ctas_per_sm tiles share one SM, so each runs at that fraction of its rate.
    const double tile_s = 2.0 * t.m * t.n * static_cast<double>(slice) /
                              (sm_flops_per_s * t.efficiency / t.ctas_per_sm) +
                          terms.tile_overhead_s * t.ctas_per_sm;
    const double tiles_exact = tile_count(m, k, batch, t);
    const double waves_exact =
        std::ceil(tiles_exact * static_cast<double>(split) / static_cast<double>(slots));
    const double fixup_s = split > 1
                               ? 2.0 * static_cast<double>(split) * static_cast<double>(batch) *
                                     static_cast<double>(m) * static_cast<double>(k) *
                                     kPartialSumBytes / partial_bytes_per_s
                               : 0.0;
    double compute_s = waves_exact * tile_s + fixup_s;
    bool streamed = false;
    if (gpu.stream_k && split == 1) {
      const double overhead_s = terms.tile_overhead_s * t.ctas_per_sm;
      const double streamed_s = stream_k_seconds(
          tiles_exact, static_cast<double>(slots), tile_s - overhead_s, overhead_s,
          2.0 * static_cast<double>(slots) * t.m * t.n * kPartialSumBytes / partial_bytes_per_s);
      streamed = streamed_s < compute_s;
      compute_s = std::min(compute_s, streamed_s);
    }
    if (compute_s < b.compute_s) {
      b.stream_k = streamed;
      b.split_k = static_cast<int>(split);
      b.compute_s = compute_s;
      b.tile_m = t.m;
      b.tile_n = t.n;
      b.ctas_per_sm = t.ctas_per_sm;
      b.tiles = tiles;
      b.waves = waves;
    }
  }

  const GemmShape clamped{batch, m, n, k};
  b.memory_s = static_cast<double>(clamped.bytes(dtype)) /
               (gpu.bandwidth_tbs * 1e12 * terms.bandwidth_efficiency * b.alignment_memory_factor);
  if (terms.memory_overlap_per_byte > 0)
    b.memory_s /=
        1 + terms.memory_overlap_per_byte * static_cast<double>(b.padded_reduction) * element;
  b.launch_s = terms.launch_s;
  b.total_s = b.compute_s + b.memory_s + b.launch_s;
  return b;
}

double predict_seconds(const Task& task, const GpuSpec& gpu) {
  return explain_prediction(task.shape, task.point.dtype, gpu).total_s;
}

double predicted_task_wall_seconds(const Task& task, const TimingSettings& timing,
                                   const GpuSpec& gpu) {
  return sampled_wall_seconds(predict_seconds(task, gpu), timing);
}

}  // namespace gs
