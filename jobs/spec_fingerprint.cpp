#include "jobs/spec_fingerprint.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace gs {
namespace {

// FNV-1a, 64 bits: stable across platforms and releases, which std::hash is not.
struct Fnv1a {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 0x100000001b3ull;
    }
  }
  void text(std::string_view s) {
    bytes(s.data(), s.size());
    bytes("\0", 1);
  }
  void axis(const Axis& a) {
    text(a.name);
    const std::uint64_t n = a.values.size();
    bytes(&n, sizeof n);
    for (std::int64_t v : a.values) bytes(&v, sizeof v);
  }
};

}  // namespace

std::string spec_fingerprint(const JobSpec& spec) {
  Fnv1a f;
  f.text("gemmsweep-grid-v1");
  for (Op op : spec.ops) f.text(to_string(op));
  f.text("|");
  for (DType d : spec.dtypes) f.text(to_string(d));
  f.text("|");
  if (!spec.grid_definition.empty()) {
    f.text("listed");
    f.text(spec.grid_definition);
  } else if (spec.comm_job()) {
    f.text("comm");
    f.axis(spec.comm.group_size);
    f.axis(spec.comm.bytes);
  } else if (spec.raw()) {
    for (const Axis* a : {&spec.shape.batch, &spec.shape.m, &spec.shape.n, &spec.shape.k})
      f.axis(*a);
  } else {
    const ModelAxes& m = spec.model;
    for (const Axis* a : {&m.heads, &m.head_dim, &m.hidden_size, &m.microbatch, &m.seq_length,
                          &m.tensor_parallel, &m.vocab_size})
      f.axis(*a);
  }
  return fmt::format("{:016x}", f.h);
}

}  // namespace gs
