#pragma once
#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "jobs/axis.hpp"
#include "jobs/toml_context.hpp"

namespace gs {

// Reads one axis: a number, a list of numbers, an inclusive range {start, stop, step} (step
// defaults to 1), or a geometric range {start, stop, factor}. Values are positive integers up to
// max_value. A range is sized before it is expanded, so a huge one is refused without allocating.
// Returns an axis with no values when the key is absent.
Axis parse_axis(const TomlContext& ctx, const toml::table& table, std::string_view prefix,
                const std::string& key, std::int64_t max_value);

}  // namespace gs
