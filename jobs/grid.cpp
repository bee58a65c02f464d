#include "jobs/grid.hpp"

#include <fmt/format.h>

#include <limits>

#include "jobs/collective_message.hpp"
#include "jobs/op_shape.hpp"

namespace gs {
namespace {

// The axes of a job in expansion order; the first varies slowest.
std::vector<const Axis*> swept_axes(const JobSpec& spec) {
  std::vector<const Axis*> axes;
  auto add = [&](const Axis& a) {
    if (a.given()) axes.push_back(&a);
  };
  if (spec.comm_job()) {
    add(spec.comm.group_size);
    add(spec.comm.bytes);
  } else if (spec.raw()) {
    add(spec.shape.batch);
    add(spec.shape.m);
    add(spec.shape.n);
    add(spec.shape.k);
  } else {
    add(spec.model.heads);
    add(spec.model.head_dim);
    add(spec.model.hidden_size);
    add(spec.model.microbatch);
    add(spec.model.seq_length);
    add(spec.model.tensor_parallel);
    add(spec.model.vocab_size);
  }
  return axes;
}

// Fills the model fields of a point and derives the third of heads / head_dim / hidden_size.
// Returns an empty string, or why the point has no whole-number derivation.
std::string derive(const ModelAxes& m, Point& p) {
  if (!m.hidden_size.given()) {
    p.hidden_size = p.heads * p.head_dim;
  } else if (!m.head_dim.given()) {
    if (p.hidden_size % p.heads)
      return fmt::format("hidden_size {} is not a multiple of heads {}", p.hidden_size, p.heads);
    p.head_dim = p.hidden_size / p.heads;
  } else if (!m.heads.given()) {
    if (p.hidden_size % p.head_dim)
      return fmt::format("hidden_size {} is not a multiple of head_dim {}", p.hidden_size,
                         p.head_dim);
    p.heads = p.hidden_size / p.head_dim;
  }
  return {};
}

}  // namespace

std::uint64_t grid_point_count(const JobSpec& spec) {
  std::uint64_t n = spec.dtypes.size();
  for (const Axis* a : swept_axes(spec)) n = saturating_mul(n, std::uint64_t{a->size()});
  return n;
}

Grid expand(const JobSpec& spec) {
  Grid grid;
  grid.point_count = grid_point_count(spec);
  const std::vector<const Axis*> axes = swept_axes(spec);
  grid.tasks.reserve(static_cast<std::size_t>(grid.point_count) * spec.ops.size());

  std::vector<std::size_t> index(axes.size(), 0);
  for (std::uint64_t id = 0; id < grid.point_count; ++id) {
    // Decode id into per-axis indices, last axis fastest.
    std::uint64_t rest = id;
    for (std::size_t i = axes.size(); i-- > 0;) {
      index[i] = static_cast<std::size_t>(rest % axes[i]->size());
      rest /= axes[i]->size();
    }
    Point p;
    p.id = id;
    p.dtype = spec.dtypes[static_cast<std::size_t>(rest)];
    auto value = [&](const Axis& a, std::int64_t fallback) {
      for (std::size_t i = 0; i < axes.size(); ++i)
        if (axes[i] == &a) return a.values[index[i]];
      return fallback;
    };
    std::string reason;
    if (spec.comm_job()) {
      p.group_size = value(spec.comm.group_size, 0);
      p.message_bytes = value(spec.comm.bytes, 0);
    } else if (spec.raw()) {
      p.raw = GemmShape{value(spec.shape.batch, 1), value(spec.shape.m, 0), value(spec.shape.n, 0),
                        value(spec.shape.k, 0)};
    } else {
      const ModelAxes& m = spec.model;
      p.heads = value(m.heads, 0);
      p.head_dim = value(m.head_dim, 0);
      p.hidden_size = value(m.hidden_size, 0);
      p.microbatch = value(m.microbatch, 1);
      p.seq_length = value(m.seq_length, 0);
      p.tensor_parallel = value(m.tensor_parallel, 1);
      p.vocab_size = value(m.vocab_size, 0);
      reason = derive(m, p);
    }
    for (Op op : spec.ops) {
      Task t;
      t.id = task_id(id, op);
      t.op = op;
      t.point = p;
      if (!reason.empty()) {
        grid.skipped.push_back({t, reason});
        continue;
      }
      if (is_collective(op)) {
        if (!spec.comm_job()) derive_collective_message(t.point);
        std::string why = collective_skip_reason(op, t.point);
        if (!why.empty()) {
          grid.skipped.push_back({t, std::move(why)});
          continue;
        }
        t.shape = GemmShape{0, 0, 0, 0};
        grid.tasks.push_back(t);
        continue;
      }
      auto shape = gemm_shape_for(op, p);
      if (auto* why = std::get_if<std::string>(&shape)) {
        grid.skipped.push_back({t, *why});
        continue;
      }
      t.shape = std::get<GemmShape>(shape);
      grid.tasks.push_back(t);
    }
  }
  return grid;
}

}  // namespace gs
