#pragma once
#include <optional>
#include <string>

namespace gs {

// `gemmsweep run` as the user typed it. Unset options fall back to the job file's [run] table,
// then to the built-in defaults.
struct RunOptions {
  std::string job;
  std::string output;
  std::optional<std::string> backend;  // auto | cuda | cpu | model
  bool resume = false;
  int ranks_per_gpu = 1;
  std::optional<std::string> order;  // cost | shuffle | grid
  bool calibrate = false;
  double simulate = 0;               // model backend: sleep prediction * factor
  std::optional<std::string> shard;  // "i/K"
  bool autotune = false;
  std::optional<std::string> gpu;       // model backend's GPU
  std::optional<std::string> gpu_spec;  // or a GPU spec file (`gemmsweep fit` writes them)
  std::string command_line;
  // Tests: seconds rank 0 waits for in-flight work after a signal (default 30).
  double drain_timeout_s = 30;
};

}  // namespace gs
