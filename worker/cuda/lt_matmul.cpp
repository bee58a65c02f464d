#include "worker/cuda/lt_matmul.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <stdexcept>

#include "worker/cuda/column_major_call.hpp"
#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/lt_algo_names.hpp"

namespace gs {
namespace {

struct TypeChoice {
  cudaDataType input;
  cudaDataType output;
  cublasComputeType_t compute;
};

TypeChoice types_for(DType dtype) {
  switch (dtype) {
    case DType::fp16:
      return {CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F};
    case DType::bf16:
      return {CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F};
    case DType::fp32:
      return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F};
    case DType::tf32:
      return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32};
    case DType::fp8:
      return {CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F};
    case DType::fp64:
      break;
  }
  throw std::invalid_argument(fmt::format("cuBLASLt does not run {} here", to_string(dtype)));
}

template <typename T>
void set_layout(cublasLtMatrixLayout_t layout, cublasLtMatrixLayoutAttribute_t attr, T value) {
  CUBLAS_CHECK(cublasLtMatrixLayoutSetAttribute(layout, attr, &value, sizeof value));
}

cublasLtMatrixLayout_t make_layout(cudaDataType type, const ColumnMajorMatrix& m,
                                   std::int64_t batch) {
  cublasLtMatrixLayout_t layout = nullptr;
  CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&layout, type, static_cast<std::uint64_t>(m.rows),
                                          static_cast<std::uint64_t>(m.cols), m.ld));
  try {
    set_layout(layout, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, static_cast<std::int32_t>(batch));
    set_layout(layout, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, m.stride);
  } catch (...) {
    CUBLAS_CHECK_NOTHROW(cublasLtMatrixLayoutDestroy(layout));
    throw;
  }
  return layout;
}

std::size_t element_bytes(cudaDataType type) {
  switch (type) {
    case CUDA_R_8F_E4M3:
      return 1;
    case CUDA_R_16F:
    case CUDA_R_16BF:
      return 2;
    default:
      return 4;
  }
}

}  // namespace

unsigned alignment_of(std::size_t bytes) {
  unsigned alignment = 256;
  while (alignment > 1 && bytes % alignment != 0) alignment /= 2;
  return alignment;
}

unsigned batch_alignment(std::int64_t batch, std::size_t stride_bytes) {
  return batch <= 1 ? 256u : alignment_of(stride_bytes);
}

// Destroyed in reverse order of creation; each member is null until created.
struct LtMatmul::Descriptors {
  ColumnMajorCall call;
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulPreference_t preference = nullptr;
  ~Descriptors() {
    if (preference) CUBLAS_CHECK_NOTHROW(cublasLtMatmulPreferenceDestroy(preference));
    if (c) CUBLAS_CHECK_NOTHROW(cublasLtMatrixLayoutDestroy(c));
    if (b) CUBLAS_CHECK_NOTHROW(cublasLtMatrixLayoutDestroy(b));
    if (a) CUBLAS_CHECK_NOTHROW(cublasLtMatrixLayoutDestroy(a));
    if (op) CUBLAS_CHECK_NOTHROW(cublasLtMatmulDescDestroy(op));
  }
};

LtMatmul::LtMatmul(cublasLtHandle_t handle, DType dtype, const GemmShape& s,
                   std::size_t workspace_bytes)
    : handle_(handle), workspace_bytes_(workspace_bytes), d_(std::make_unique<Descriptors>()) {
  const TypeChoice t = types_for(dtype);
  d_->call = column_major_call(s, b_storage_for(dtype));
  const ColumnMajorCall& call = d_->call;
  const cublasOperation_t trans_a = call.a.transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t trans_b = call.b.transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
  CUBLAS_CHECK(cublasLtMatmulDescCreate(&d_->op, t.compute, CUDA_R_32F));
  CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(d_->op, CUBLASLT_MATMUL_DESC_TRANSA, &trans_a,
                                              sizeof trans_a));
  CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(d_->op, CUBLASLT_MATMUL_DESC_TRANSB, &trans_b,
                                              sizeof trans_b));
  d_->a = make_layout(t.input, call.a, call.batch);
  d_->b = make_layout(t.input, call.b, call.batch);
  d_->c = make_layout(t.output, call.c, call.batch);

  CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&d_->preference));
  const std::uint64_t workspace = workspace_bytes_;
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d_->preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace));
  // Every batch's matrix starts at base + i * stride: tell the heuristic the alignment that
  // really holds, so that it never proposes a kernel that needs more.
  const std::size_t in_bytes = element_bytes(t.input), out_bytes = element_bytes(t.output);
  const auto align = [&call](const ColumnMajorMatrix& m, std::size_t bytes) -> std::uint32_t {
    return batch_alignment(call.batch, static_cast<std::size_t>(m.stride) * bytes);
  };
  const std::uint32_t align_a = align(call.a, in_bytes);
  const std::uint32_t align_b = align(call.b, in_bytes);
  const std::uint32_t align_c = align(call.c, out_bytes);
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d_->preference, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &align_a, sizeof align_a));
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d_->preference, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &align_b, sizeof align_b));
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d_->preference, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &align_c, sizeof align_c));
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d_->preference, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &align_c, sizeof align_c));
}

LtMatmul::~LtMatmul() = default;

std::vector<cublasLtMatmulAlgo_t> LtMatmul::candidates(int count) const {
  std::vector<cublasLtMatmulHeuristicResult_t> results(static_cast<std::size_t>(count));
  int returned = 0;
  const cublasStatus_t status =
      cublasLtMatmulAlgoGetHeuristic(handle_, d_->op, d_->a, d_->b, d_->c, d_->c, d_->preference,
                                     count, results.data(), &returned);
  std::vector<cublasLtMatmulAlgo_t> algos;
  if (status == CUBLAS_STATUS_NOT_SUPPORTED) return algos;  // no kernel for this configuration
  CUBLAS_CHECK(status);
  for (int i = 0; i < returned; ++i) {
    const auto& r = results[static_cast<std::size_t>(i)];
    if (r.state == CUBLAS_STATUS_SUCCESS && r.workspaceSize <= workspace_bytes_)
      algos.push_back(r.algo);
  }
  return algos;
}

void LtMatmul::run(const cublasLtMatmulAlgo_t& algo, const GemmOperands& operands, void* workspace,
                   cudaStream_t stream) const {
  const float alpha = 1.0f, beta = 0.0f;
  // C and D are the same buffer (beta = 0).
  CUBLAS_CHECK(cublasLtMatmul(handle_, d_->op, &alpha, input_pointer(d_->call.a, operands), d_->a,
                              input_pointer(d_->call.b, operands), d_->b, &beta, operands.c, d_->c,
                              operands.c, d_->c, &algo, workspace, workspace_bytes_, stream));
}

namespace {

template <typename T>
T algo_config(const cublasLtMatmulAlgo_t& algo, cublasLtMatmulAlgoConfigAttributes_t attr) {
  T value{};
  std::size_t written = 0;
  if (cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, &value, sizeof value, &written) !=
      CUBLAS_STATUS_SUCCESS)
    return T{};
  return value;
}

}  // namespace

std::string describe_lt_algo(const cublasLtMatmulAlgo_t& algo) {
  const auto id = algo_config<std::int32_t>(algo, CUBLASLT_ALGO_CONFIG_ID);
  const auto tile = algo_config<std::uint32_t>(algo, CUBLASLT_ALGO_CONFIG_TILE_ID);
  const auto stages = algo_config<std::uint32_t>(algo, CUBLASLT_ALGO_CONFIG_STAGES_ID);
  const auto split_k = algo_config<std::int32_t>(algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM);
  const auto reduction = algo_config<std::uint32_t>(algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME);
  const auto swizzle = algo_config<std::uint32_t>(algo, CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING);
  const auto custom = algo_config<std::uint32_t>(algo, CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION);
  const auto cluster = algo_config<std::uint16_t>(algo, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID);
  return fmt::format(
      "cublasLt algo {} tile {} stages {} splitK {} reduction {} swizzle {} custom {} cluster {}",
      id, lt_tile_name(tile), lt_stages_name(stages), split_k, reduction, swizzle, custom,
      lt_cluster_shape_name(cluster));
}

}  // namespace gs
