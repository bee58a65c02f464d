#pragma once
#include <cstddef>
#include <string>

namespace gs::test {

// Waits until the results file at `path`, read as `gemmsweep report` reads a live one, holds at
// least `rows` rows that were measured (status ok or skipped count; unwritten ones do not), or
// `timeout_s` passes. The event a signal test waits for before it signals, instead of a sleep
// that a slow machine outlasts or a fast one overshoots.
bool wait_for_rows(const std::string& path, std::size_t rows, double timeout_s);

}  // namespace gs::test
