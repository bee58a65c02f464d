#pragma once
#include <optional>
#include <string>

namespace gs {

// `gemmsweep export FILE [--format csv|jsonl] [-o OUT] [--op NAME] [--status STATUS]`.
struct ExportOptions {
  std::string input;
  std::string format = "csv";
  std::optional<std::string> output;  // stdout when unset
  std::optional<std::string> op;
  std::optional<std::string> status;
};

// Writes the rows; returns the exit status. Bad options, a file that is not a results file, an
// op or status no row has: UsageError / StoreError (one line, status 2) before anything is
// written.
int export_command(const ExportOptions& options);

}  // namespace gs
