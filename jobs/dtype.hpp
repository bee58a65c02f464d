#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace gs {

// fp64 is not a GPU study dtype but lets the cpu backend measure its native precision.
enum class DType : std::uint8_t { fp16, bf16, fp32, tf32, fp8, fp64 };

inline constexpr DType kAllDTypes[] = {DType::fp16, DType::bf16, DType::fp32,
                                       DType::tf32, DType::fp8,  DType::fp64};

std::string_view to_string(DType d);
std::optional<DType> parse_dtype(std::string_view s);
// Bytes of one input element as stored in device memory.
int input_bytes(DType d);
// Bytes of one output element: fp8 products are written in bf16, as cuBLASLt requires.
int output_bytes(DType d);

}  // namespace gs
