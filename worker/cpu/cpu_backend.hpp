#pragma once
#include <cstdint>
#include <vector>

#include "worker/backend.hpp"

namespace gs {

// Times GEMMs with OpenBLAS on the host: fp32 and fp64 natively, fp16 / bf16 / tf32 computed in
// fp32 (Measurement::compute_dtype says so), fp8 skipped. Inputs rotate over buffers larger than
// the last-level cache and are random, never zero.
class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(const CpuOptions& options);

  std::string_view kind() const override { return "cpu"; }
  DeviceInfo device_info() const override;
  Measurement measure(const Task& task, const TimingSettings& timing) override;

  int threads() const { return threads_; }
  // How many operand sets a shape rotates over: their total exceeds the cache (at least two sets)
  // unless memory allows only one.
  std::uint64_t rotation_sets(const GemmShape& shape, int element_bytes) const;

 private:
  template <typename T>
  struct Arena {
    std::vector<T> inputs;   // random A and B of every set, never written
    std::vector<T> outputs;  // C of every set
  };
  // Available host memory, counting the arenas this backend holds (they are given back before a
  // larger task allocates its own).
  std::uint64_t memory_for_tasks() const;
  template <typename T>
  Measurement run(const Task& task, const TimingSettings& timing, Arena<T>& arena);

  CpuOptions options_;
  int threads_ = 1;
  std::uint64_t cache_bytes_ = 0;
  std::uint64_t fills_ = 0;  // varies the seed of each fill
  Arena<float> single_;
  Arena<double> double_;
};

}  // namespace gs
