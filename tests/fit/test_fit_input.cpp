#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fit/fit_input.hpp"
#include "fit/fit_refused.hpp"
#include "jobs/job_error.hpp"

namespace gs {
namespace {

TEST(FitInput, DeviceNamesThatNameAKnownGpu) {
  EXPECT_EQ(known_gpu_of_device("model:H100")->name, "H100");
  EXPECT_EQ(known_gpu_of_device("NVIDIA H100 80GB HBM3")->name, "H100");
  EXPECT_EQ(known_gpu_of_device("NVIDIA A100-SXM4-80GB")->name, "A100");
  EXPECT_EQ(known_gpu_of_device("AMD Instinct MI250X")->name, "MI250X");
  EXPECT_EQ(known_gpu_of_device("NVIDIA H1000"), nullptr);
  EXPECT_EQ(known_gpu_of_device("model:Z80"), nullptr);
  EXPECT_EQ(known_gpu_of_device("Intel(R) Xeon(R) CPU"), nullptr);
}

TEST(FitInput, ReferenceReadingsAreTheSeedJobOnTheirClassLine) {
  const auto path = std::filesystem::temp_directory_path() / "gemmsweep_fit_input.csv";
  std::ofstream(path) << "# a chart\npow2_class,hidden_size,tflops\n1,4096,35\n64,8192,150\n";
  const FitInput in = read_fit_input(path.string(), std::nullopt);
  ASSERT_EQ(in.rows.size(), 2u);
  EXPECT_EQ(in.hardware.name, "A100");
  EXPECT_EQ(in.rows[0].chart_class, 1);
  EXPECT_EQ(in.rows[0].alignment_class, 3);  // odd h/a in fp16: 2-byte rows
  EXPECT_EQ(in.rows[1].alignment_class, 0);
  EXPECT_EQ(in.rows[1].task.shape.n, 256);  // h / 32
  EXPECT_NEAR(in.rows[1].task.flops() / in.rows[1].measured_s / 1e12, 150, 1e-9);
  EXPECT_EQ(read_fit_input(path.string(), "H100").hardware.name, "H100");
  EXPECT_THROW(read_fit_input(path.string(), "Z80"), JobError);
  std::ofstream(path) << "pow2_class,hidden_size,tflops\n1,4001,35\n";
  EXPECT_THROW(read_fit_input(path.string(), std::nullopt), JobError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gs
