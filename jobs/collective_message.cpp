#include "jobs/collective_message.hpp"

#include <fmt/format.h>

namespace gs {

bool is_collective_dtype(DType d) {
  return d == DType::fp16 || d == DType::bf16 || d == DType::fp32 || d == DType::fp64;
}

void derive_collective_message(Point& p) {
  // Each factor is at most 2^24, so the product can pass int64: decide in double first (exact
  // well past the 2^34 limit), and multiply in int64 only below it.
  const double bytes = static_cast<double>(p.microbatch) * static_cast<double>(p.seq_length) *
                       static_cast<double>(p.hidden_size) * input_bytes(p.dtype);
  p.message_bytes = bytes > static_cast<double>(kMaxMessageBytes)
                        ? kMaxMessageBytes + 1
                        : p.microbatch * p.seq_length * p.hidden_size * input_bytes(p.dtype);
  p.group_size = p.tensor_parallel;
}

std::int64_t message_elements(const Point& p) { return p.message_bytes / input_bytes(p.dtype); }

std::string collective_skip_reason(Op op, const Point& p) {
  if (!is_collective_dtype(p.dtype))
    return fmt::format("collectives move {} elements, not {}", kCollectiveDTypes,
                       to_string(p.dtype));
  if (p.group_size < 2)
    return fmt::format("group_size {}: a collective needs at least 2 ranks (tensor_parallel > 1)",
                       p.group_size);
  const std::int64_t element = input_bytes(p.dtype);
  if (p.message_bytes > kMaxMessageBytes)
    return fmt::format(
        "the message of microbatch x seq_length x hidden_size {} elements is larger than 16 GiB "
        "({} bytes) per rank",
        to_string(p.dtype), kMaxMessageBytes);
  if (p.message_bytes <= 0 || p.message_bytes % element)
    return fmt::format("message_bytes {} is not a whole number of {}-byte {} elements",
                       p.message_bytes, element, to_string(p.dtype));
  const bool splits = op == Op::all_gather || op == Op::reduce_scatter || op == Op::all_to_all;
  if (splits && message_elements(p) % p.group_size)
    return fmt::format("{} elements do not split into group_size {} equal parts for {}",
                       message_elements(p), p.group_size, to_string(op));
  return {};
}

}  // namespace gs
