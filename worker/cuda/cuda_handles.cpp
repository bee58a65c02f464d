#include "worker/cuda/cuda_handles.hpp"

namespace gs {

CudaStream make_cuda_stream() {
  cudaStream_t stream = nullptr;
  CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  return CudaStream(stream);
}

CudaEvent make_cuda_event() {
  cudaEvent_t event = nullptr;
  CUDA_CHECK(cudaEventCreateWithFlags(&event, cudaEventDefault));
  return CudaEvent(event);
}

CublasHandle make_cublas_handle() {
  cublasHandle_t handle = nullptr;
  CUBLAS_CHECK(cublasCreate(&handle));
  return CublasHandle(handle);
}

CublasLtHandle make_cublaslt_handle() {
  cublasLtHandle_t handle = nullptr;
  CUBLAS_CHECK(cublasLtCreate(&handle));
  return CublasLtHandle(handle);
}

void synchronize(cudaStream_t stream) { CUDA_CHECK(cudaStreamSynchronize(stream)); }

void record(cudaEvent_t event, cudaStream_t stream) { CUDA_CHECK(cudaEventRecord(event, stream)); }

double seconds_between(cudaEvent_t start, cudaEvent_t stop) {
  float ms = 0;
  CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
  return static_cast<double>(ms) * 1e-3;
}

}  // namespace gs
