#pragma once
#include <optional>
#include <string>
#include <vector>

namespace gs {

// `gemmsweep fit INPUT -o GPU.toml [--base NAME] [--folds K] [--huber-scale S] [--bound F]
// [--hold TERM ...] [--table FILE.csv]`.
struct FitOptions {
  std::string input;   // results file (HDF5) or reference CSV
  std::string output;  // the GPU spec file to write
  std::optional<std::string> base;
  int folds = 5;
  double huber_scale = 0;            // on log time; 0: from the rows
  double bound = 0;                  // every row's |predicted/measured - 1| within; 0: none
  std::vector<std::string> hold;     // term names held at the base's value
  std::optional<std::string> table;  // measured, fitted and held-out TFLOP/s per row (CSV)
};

// Fits, prints the terms and their error, writes the spec (and the table). Bad input or rows
// that cannot identify the terms: JobError (exit status 2), nothing written.
int fit_command(const FitOptions& options);

}  // namespace gs
