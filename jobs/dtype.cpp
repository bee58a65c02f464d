#include "jobs/dtype.hpp"

namespace gs {

std::string_view to_string(DType d) {
  switch (d) {
    case DType::fp16:
      return "fp16";
    case DType::bf16:
      return "bf16";
    case DType::fp32:
      return "fp32";
    case DType::tf32:
      return "tf32";
    case DType::fp8:
      return "fp8";
    case DType::fp64:
      return "fp64";
  }
  return "?";
}

std::optional<DType> parse_dtype(std::string_view s) {
  for (DType d : kAllDTypes)
    if (to_string(d) == s) return d;
  return std::nullopt;
}

int input_bytes(DType d) {
  switch (d) {
    case DType::fp8:
      return 1;
    case DType::fp16:
    case DType::bf16:
      return 2;
    case DType::fp32:
    case DType::tf32:
      return 4;
    case DType::fp64:
      return 8;
  }
  return 4;
}

int output_bytes(DType d) { return d == DType::fp8 ? 2 : input_bytes(d); }

}  // namespace gs
