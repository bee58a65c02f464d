#include <gtest/gtest.h>

#include "worker/backend.hpp"

namespace gs {
namespace {

TEST(BackendFactory, AutoPicksCudaOnlyWhenAGpuIsUsable) {
  EXPECT_EQ(resolve_backend_kind("auto"), cuda_backend_available() ? "cuda" : "cpu");
  EXPECT_EQ(make_backend("auto", {})->kind(), cuda_backend_available() ? "cuda" : "cpu");
}

TEST(BackendFactory, CudaWithoutAGpuThrowsBackendUnavailable) {
  if (cuda_backend_available()) {
    EXPECT_EQ(make_backend("cuda", {})->kind(), "cuda");
    return;
  }
  EXPECT_EQ(resolve_backend_kind("cuda"), "cuda");
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
  } catch (const std::invalid_argument& e) {
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
