#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"

namespace gs {

// What makes two products the same measurement: the GEMM (dimensions and which operand is
// stored transposed) and the dtype. The op that asked for it does not matter: qkv of one
// candidate and an MLP product of another with the same shape run the same kernel.
struct ProductKey {
  GemmShape shape;
  DType dtype = DType::fp16;
  bool operator==(const ProductKey&) const = default;
};

struct ProductKeyHash {
  std::size_t operator()(const ProductKey& key) const noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ull;
    auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
    mix(static_cast<std::uint64_t>(key.shape.batch));
    mix(static_cast<std::uint64_t>(key.shape.m));
    mix(static_cast<std::uint64_t>(key.shape.n));
    mix(static_cast<std::uint64_t>(key.shape.k));
    mix((key.shape.a_transposed ? 1u : 0u) | (key.shape.b_transposed ? 2u : 0u) |
        (static_cast<std::uint64_t>(key.dtype) << 2));
    return static_cast<std::size_t>(h);
  }
};

}  // namespace gs
