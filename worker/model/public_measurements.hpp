#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"

namespace gs {

// One public measurement of a large GEMM (tests/worker/data/public_gemm_measurements.csv, its
// sources in the file's header; docs/model.md): what the model is held against beside Fig. 7a.
struct PublicMeasurement {
  std::string gpu;  // a built-in spec's name
  GemmShape shape;  // ours: C[m][k] = A[m][n] B[n][k], n the reduction
  DType dtype = DType::bf16;
  double tflops = 0;
  std::string software, source;
};

// Reads gpu,m,n,k,dtype,tflops,software,source rows in the source's m x n x k (output m x n,
// reduction k); '#' comments and the header skipped. Throws std::runtime_error naming the file
// and line when it cannot be read or a row is malformed.
std::vector<PublicMeasurement> read_public_measurements_csv(const std::filesystem::path& path);

}  // namespace gs
