#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "worker/backend.hpp"

namespace gs {
namespace {

// Whether `auto` should find a GPU, known without asking the factory: the cuda backend is built
// in and the machine has an NVIDIA device (its driver's device node, or nvidia-smi listing one).
bool expect_usable_gpu() {
  if (!GEMMSWEEP_TEST_CUDA_BUILT) return false;
  if (std::filesystem::exists("/dev/nvidia0")) return true;
  return std::system("nvidia-smi -L 2>/dev/null | grep -q '^GPU '") == 0;
}

TEST(BackendFactory, AutoPicksCudaOnlyWhenAGpuIsUsable) {
  const std::string expected = expect_usable_gpu() ? "cuda" : "cpu";
  EXPECT_EQ(cuda_backend_available(), expect_usable_gpu());
  EXPECT_EQ(resolve_backend_kind("auto"), expected);
  EXPECT_EQ(make_backend("auto", {})->kind(), expected);
}

TEST(BackendFactory, CudaWithoutAGpuThrowsBackendUnavailable) {
  EXPECT_EQ(resolve_backend_kind("cuda"), "cuda");
  if (expect_usable_gpu()) {
    EXPECT_EQ(make_backend("cuda", {})->kind(), "cuda");
    return;
  }
  try {
    make_backend("cuda", {});
    FAIL() << "expected BackendUnavailable";
  } catch (const BackendUnavailable& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cuda backend: no usable GPU (", 0), 0u) << e.what();
  }
}

TEST(BackendFactory, NamedKinds) {
  BackendOptions o;
  o.cpu.threads = 1;
  o.cpu.cache_bytes = 1 << 20;
  EXPECT_EQ(make_backend("cpu", o)->kind(), "cpu");
  o.model.gpu = "H200";
  const auto model = make_backend("model", o);
  EXPECT_EQ(model->kind(), "model");
  EXPECT_EQ(model->device_info().name, "model:H200");
  EXPECT_EQ(resolve_backend_kind("cpu"), "cpu");
  EXPECT_EQ(resolve_backend_kind("model"), "model");
}

TEST(BackendFactory, UnknownKindIsInvalidArgument) {
  EXPECT_THROW(resolve_backend_kind("tpu"), std::invalid_argument);
  EXPECT_THROW(make_backend("tpu", {}), std::invalid_argument);
  EXPECT_THROW(make_backend("", {}), std::invalid_argument);
  try {
    make_backend("CPU", {});
    FAIL() << "kinds are case-sensitive: CPU must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown backend 'CPU'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("allowed: auto, cuda, cpu, model"), std::string::npos);
  }
}

TEST(TaskStatusNames, AllThree) {
  EXPECT_EQ(to_string(TaskStatus::ok), "ok");
  EXPECT_EQ(to_string(TaskStatus::skipped), "skipped");
  EXPECT_EQ(to_string(TaskStatus::failed), "failed");
}

}  // namespace
}  // namespace gs
