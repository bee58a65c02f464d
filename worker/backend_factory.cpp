#include <fmt/format.h>

#include <stdexcept>

#include "worker/backend.hpp"
#include "worker/cpu/cpu_backend.hpp"
#include "worker/model/model_backend.hpp"
#ifdef GEMMSWEEP_WITH_CUDA_BACKEND
#include "worker/cuda/cuda_backend.hpp"
#endif

namespace gs {
namespace {

bool cuda_usable_impl() {
#ifdef GEMMSWEEP_WITH_CUDA_BACKEND
  return cuda_device_available();
#else
  return false;
#endif
}

std::string cuda_unavailable_reason() {
#ifdef GEMMSWEEP_WITH_CUDA_BACKEND
  return "no CUDA driver or device found";
#else
  return "this gemmsweep was built without CUDA";
#endif
}

std::invalid_argument unknown_kind(std::string_view kind) {
  return std::invalid_argument(
      fmt::format("unknown backend '{}'; allowed: auto, cuda, cpu, model", kind));
}

}  // namespace

int cuda_backend_device_count() {
#ifdef GEMMSWEEP_WITH_CUDA_BACKEND
  return cuda_device_count();
#else
  return 0;
#endif
}

bool cuda_backend_available() { return cuda_usable_impl(); }

std::string resolve_backend_kind(std::string_view kind) {
  if (kind == "auto") return cuda_backend_available() ? "cuda" : "cpu";
  if (kind == "cuda" || kind == "cpu" || kind == "model") return std::string(kind);
  throw unknown_kind(kind);
}

std::unique_ptr<Backend> make_backend(std::string_view kind, const BackendOptions& options) {
  const std::string resolved = resolve_backend_kind(kind);
  if (resolved == "cpu") return std::make_unique<CpuBackend>(options.cpu);
  if (resolved == "model") return std::make_unique<ModelBackend>(options.model);
  if (!cuda_backend_available())
    throw BackendUnavailable(
        fmt::format("cuda backend: no usable GPU ({})", cuda_unavailable_reason()));
#ifdef GEMMSWEEP_WITH_CUDA_BACKEND
  return make_cuda_backend(options.cuda);
#else
  throw BackendUnavailable("cuda backend: unreachable");
#endif
}

}  // namespace gs
