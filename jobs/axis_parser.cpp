#include "jobs/axis_parser.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

namespace gs {
namespace {

struct AxisReader {
  const TomlContext& ctx;
  std::string key;  // dotted
  std::int64_t max_value;

  std::string allowed() const {
    return fmt::format(
        "allowed: a positive integer up to {}, a list of them, {{start, stop, step}} or "
        "{{start, stop, factor}}",
        max_value);
  }

  std::int64_t integer(const toml::node& n, std::string_view what) const {
    const auto* i = n.as_integer();
    if (!i)
      ctx.fail(&n, key, fmt::format("{} {} is not an integer; {}", what, ctx.show(n), allowed()));
    const std::int64_t v = i->get();
    if (v <= 0 || v > max_value)
      ctx.fail(&n, key, fmt::format("{} {} is out of range; {}", what, v, allowed()));
    return v;
  }

  std::vector<std::int64_t> range(const toml::table& t) const {
    ctx.check_keys(t, key, {"start", "stop", "step", "factor"});
    const toml::node* start_n = t.get("start");
    const toml::node* stop_n = t.get("stop");
    if (!start_n || !stop_n)
      ctx.fail(&t, key, fmt::format("a range needs start and stop; {}", allowed()));
    const std::int64_t start = integer(*start_n, "start");
    const std::int64_t stop = integer(*stop_n, "stop");
    if (stop < start)
      ctx.fail(stop_n, key,
               fmt::format("stop {} is less than start {}; allowed: stop >= start", stop, start));
    const toml::node* step_n = t.get("step");
    const toml::node* factor_n = t.get("factor");
    if (step_n && factor_n) ctx.fail(factor_n, key, "give step or factor, not both");
    std::vector<std::int64_t> values;
    if (factor_n) {
      double factor = 0;
      if (const auto* f = factor_n->as_floating_point())
        factor = f->get();
      else if (const auto* i = factor_n->as_integer())
        factor = static_cast<double>(i->get());
      else
        ctx.fail(factor_n, key,
                 fmt::format("factor {} is not a number; allowed: a number above 1",
                             ctx.show(*factor_n)));
      if (!(factor > 1.0) || !std::isfinite(factor))
        ctx.fail(factor_n, key,
                 fmt::format("factor {} is not allowed; allowed: a number above 1",
                             ctx.show(*factor_n)));
      // A factor a hair above 1 would take ~2^53 steps to reach stop: refuse it before looping.
      const double steps =
          std::log((static_cast<double>(stop) + 0.5) / static_cast<double>(start)) /
          std::log(factor);
      if (!(steps <= static_cast<double>(kMaxGridPoints)))
        ctx.fail(factor_n, key,
                 fmt::format("factor {} is too close to 1: from {} to {} it takes {:.3g} steps; "
                             "allowed: a factor that reaches stop within {} steps",
                             ctx.show(*factor_n), start, stop, steps, kMaxGridPoints));
      // Rounded products, deduplicated: factor 1.5 from 1 gives 1, 2, 3, 5, 8, ...
      double x = static_cast<double>(start);
      while (x <= static_cast<double>(stop) + 0.5) {
        const auto v = static_cast<std::int64_t>(std::llround(x));
        if (values.empty() || v != values.back()) values.push_back(v);
        x *= factor;
      }
      return values;
    }
    std::int64_t step = 1;
    if (step_n) {
      const auto* i = step_n->as_integer();
      if (!i || i->get() <= 0)
        ctx.fail(
            step_n, key,
            fmt::format("step {} is not allowed; allowed: a positive integer", ctx.show(*step_n)));
      step = i->get();
    }
    const std::uint64_t count = static_cast<std::uint64_t>((stop - start) / step) + 1;
    if (count > kMaxGridPoints)
      ctx.fail(&t, key,
               fmt::format("the range has {} values; allowed: at most {}", count, kMaxGridPoints));
    values.reserve(static_cast<std::size_t>(count));
    for (std::int64_t v = start; v <= stop; v += step) {
      values.push_back(v);
      if (stop - v < step) break;  // no overflow past stop
    }
    return values;
  }
};

}  // namespace

Axis parse_axis(const TomlContext& ctx, const toml::table& table, std::string_view prefix,
                const std::string& key, std::int64_t max_value) {
  Axis axis{key, {}};
  const toml::node* n = table.get(key);
  if (!n) return axis;
  AxisReader r{ctx, TomlContext::dotted(prefix, key), max_value};
  if (n->is_integer() || n->is_floating_point()) {
    axis.values.push_back(r.integer(*n, "value"));
  } else if (const auto* arr = n->as_array()) {
    if (arr->empty()) ctx.fail(n, r.key, "empty list; " + r.allowed());
    if (arr->size() > kMaxGridPoints)
      ctx.fail(
          n, r.key,
          fmt::format("the list has {} values; allowed: at most {}", arr->size(), kMaxGridPoints));
    std::unordered_set<std::int64_t> seen;
    for (const auto& item : *arr) {
      const std::int64_t v = r.integer(item, "value");
      if (!seen.insert(v).second)
        ctx.fail(&item, r.key, fmt::format("value {} is listed twice", v));
      axis.values.push_back(v);
    }
  } else if (const auto* t = n->as_table()) {
    axis.values = r.range(*t);
  } else {
    ctx.fail(n, r.key, fmt::format("{} is not allowed; {}", ctx.show(*n), r.allowed()));
  }
  return axis;
}

}  // namespace gs
