// Host-side parts of the cuda backend's correctness check: format decoding, the float64 reference
// comparison and its tolerances, shape classes. No GPU needed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "worker/cuda/host_float.hpp"
#include "worker/cuda/lt_matmul.hpp"
#include "worker/cuda/result_check.hpp"

namespace gs {
namespace {

TEST(HostFloat, DecodesFp16) {
  EXPECT_EQ(decode_fp16(0x3c00), 1.0);
  EXPECT_EQ(decode_fp16(0xc000), -2.0);
  EXPECT_EQ(decode_fp16(0x3555), 0.25 * (1 + 0x155 / 1024.0));  // 1/3 rounded
  EXPECT_EQ(decode_fp16(0x7bff), 65504.0);
  EXPECT_EQ(decode_fp16(0x0001), std::ldexp(1.0, -24));
  EXPECT_EQ(decode_fp16(0x0400), std::ldexp(1.0, -14));
  EXPECT_TRUE(std::isinf(decode_fp16(0x7c00)));
  EXPECT_TRUE(std::isnan(decode_fp16(0x7e00)));
}

TEST(HostFloat, DecodesBf16) {
  EXPECT_EQ(decode_bf16(0x3f80), 1.0);
  EXPECT_EQ(decode_bf16(0xc0a0), -5.0);
  EXPECT_EQ(decode_bf16(0x3f81), 1.0 + 1.0 / 128);
}

TEST(HostFloat, DecodesFp8E4m3) {
  EXPECT_EQ(decode_fp8_e4m3(0x38), 1.0);    // exponent 7 (the bias), mantissa 0
  EXPECT_EQ(decode_fp8_e4m3(0x7e), 448.0);  // the largest finite value
  EXPECT_EQ(decode_fp8_e4m3(0xfe), -448.0);
  EXPECT_EQ(decode_fp8_e4m3(0x01), std::ldexp(1.0, -9));  // smallest subnormal
  EXPECT_EQ(decode_fp8_e4m3(0x08), std::ldexp(1.0, -6));  // smallest normal
  EXPECT_EQ(decode_fp8_e4m3(0x3c), 1.5);
  EXPECT_TRUE(std::isnan(decode_fp8_e4m3(0x7f)));
  EXPECT_TRUE(std::isnan(decode_fp8_e4m3(0xff)));
}

TEST(HostFloat, Fp16EncodeRoundTripsEveryFiniteValue) {
  for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
    const double v = decode_fp16(static_cast<std::uint16_t>(bits));
    if (!std::isfinite(v)) continue;
    const std::uint16_t again = encode_fp16(static_cast<float>(v));
    EXPECT_EQ(decode_fp16(again), v) << "bits " << bits;
  }
  EXPECT_EQ(encode_fp16(1.0f + 1.0f / 4096), 0x3c00);  // halfway rounds to even
  EXPECT_EQ(encode_fp16(1e6f), 0x7c00);
}

TEST(HostFloat, DecodesByDtype) {
  const std::uint16_t one_fp16 = 0x3c00, one_bf16 = 0x3f80;
  const float two = 2.0f;
  const std::uint8_t one_fp8 = 0x38;
  EXPECT_EQ(decode_input(reinterpret_cast<const std::byte*>(&one_fp16), DType::fp16), 1.0);
  EXPECT_EQ(decode_input(reinterpret_cast<const std::byte*>(&one_bf16), DType::bf16), 1.0);
  EXPECT_EQ(decode_input(reinterpret_cast<const std::byte*>(&two), DType::tf32), 2.0);
  EXPECT_EQ(decode_input(reinterpret_cast<const std::byte*>(&one_fp8), DType::fp8), 1.0);
  // fp8 products are written in bf16.
  EXPECT_EQ(decode_output(reinterpret_cast<const std::byte*>(&one_bf16), DType::fp8), 1.0);
}

// `v` rounded to nearest even with `bits` explicit mantissa bits (exponent range unbounded).
double round_mantissa(double v, int bits) {
  if (v == 0) return v;
  int e = 0;
  const double fraction = std::frexp(v, &e);  // [0.5, 1): bits + 1 significant bits
  return std::ldexp(std::nearbyint(std::ldexp(fraction, bits + 1)), e - bits - 1);
}

// One input value as the cuda backend stores it for `dtype`: fp16 or bf16 values for those,
// fp32 for fp32 and tf32 (the kernel rounds tf32 itself), an e4m3 value (3 mantissa bits) for fp8.
double stored_input(std::mt19937_64& rng, DType dtype) {
  std::uniform_real_distribution<double> u(-1, 1);
  switch (dtype) {
    case DType::fp16:
      return decode_fp16(encode_fp16(static_cast<float>(u(rng))));
    case DType::bf16:
      return decode_bf16(encode_bf16(static_cast<float>(u(rng))));
    case DType::fp8: {  // any e4m3 pattern of magnitude below 1: sign, exponent field 0..6,
                        // mantissa
      const std::uint64_t r = rng();
      return decode_fp8_e4m3(
          static_cast<std::uint8_t>((r & 0x80) | ((r >> 8) % 7) << 3 | (r & 0x7)));
    }
    default:
      return static_cast<double>(static_cast<float>(u(rng)));
  }
}

// What the kernel multiplies: tf32 rounds each fp32 input to 10 mantissa bits first.
double as_multiplied(double stored, DType dtype) {
  return dtype == DType::tf32 ? round_mantissa(stored, 10) : stored;
}

// n random products of inputs stored as `dtype` stores them; the device value is the dot product
// of what the kernel multiplies, rounded to the output format (bf16 for fp8), as a correct kernel
// would produce. The reference sees the stored inputs, as the backend's check does.
std::vector<SampledProduct> exact_samples(int count, int n, DType dtype, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<SampledProduct> out(static_cast<std::size_t>(count));
  for (SampledProduct& p : out) {
    double dot = 0;
    for (int r = 0; r < n; ++r) {
      const double a = stored_input(rng, dtype);
      const double b = stored_input(rng, dtype);
      p.a_row.push_back(a);
      p.b_col.push_back(b);
      dot += as_multiplied(a, dtype) * as_multiplied(b, dtype);
    }
    const auto f = static_cast<float>(dot);
    p.device_value = dtype == DType::fp16                          ? decode_fp16(encode_fp16(f))
                     : dtype == DType::bf16 || dtype == DType::fp8 ? decode_bf16(encode_bf16(f))
                                                                   : static_cast<double>(f);
  }
  return out;
}

TEST(ResultCheck, TestInputsLieOnTheirFormatsGrids) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    const double fp8 = stored_input(rng, DType::fp8);
    EXPECT_EQ(round_mantissa(fp8, 3), fp8) << "e4m3 has 3 mantissa bits";
    EXPECT_LT(std::fabs(fp8), 1.0);
    const double tf32 = as_multiplied(stored_input(rng, DType::tf32), DType::tf32);
    EXPECT_EQ(round_mantissa(tf32, 10), tf32) << "tf32 has 10 mantissa bits";
  }
  EXPECT_EQ(round_mantissa(1.0 + std::ldexp(1.0, -11), 10), 1.0);  // a tie rounds to even
  EXPECT_EQ(round_mantissa(1.0 + 3 * std::ldexp(1.0, -11), 10), 1.0 + std::ldexp(1.0, -9));
}

TEST(ResultCheck, ToleranceIsEightRoundoffsOfTheFormatThatRounds) {
  EXPECT_DOUBLE_EQ(tolerance(DType::fp16), 8 * std::ldexp(1.0, -11));      // fp16 output, 10 bits
  EXPECT_DOUBLE_EQ(tolerance(DType::bf16), 8 * std::ldexp(1.0, -8));       // bf16 output, 7 bits
  EXPECT_DOUBLE_EQ(tolerance(DType::tf32), 8 * 2 * std::ldexp(1.0, -11));  // two tf32 inputs
  EXPECT_DOUBLE_EQ(tolerance(DType::fp8), tolerance(DType::bf16));         // exact inputs, bf16 out
}

TEST(ResultCheck, Tf32InputRoundingAloneWouldFailAtFp32Tolerance) {
  // The tf32 samples carry the kernel's input rounding: the fp32 tolerance must reject them, or
  // the test above would not show that tf32's tolerance is needed.
  EXPECT_FALSE(check_products(exact_samples(64, 300, DType::tf32, 7), DType::fp32).ok);
}

TEST(ResultCheck, CorrectProductsPass) {
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32, DType::fp8}) {
    const CheckOutcome outcome = check_products(exact_samples(64, 300, d, 7), d);
    EXPECT_TRUE(outcome.ok) << to_string(d) << ": " << outcome.detail;
    EXPECT_EQ(outcome.checked, 64);
    EXPECT_LE(outcome.worst_ratio, 1.0);
  }
}

TEST(ResultCheck, AWrongElementFails) {
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32, DType::fp8}) {
    std::vector<SampledProduct> samples = exact_samples(64, 300, d, 11);
    // A transposed or mis-strided operand gives an unrelated value, off by about ||a.b||_2;
    // half of that must already fail.
    double l2 = 0;
    for (std::size_t r = 0; r < samples[17].a_row.size(); ++r)
      l2 += std::pow(samples[17].a_row[r] * samples[17].b_col[r], 2);
    samples[17].device_value += 0.5 * std::sqrt(l2);
    const CheckOutcome outcome = check_products(samples, d);
    EXPECT_FALSE(outcome.ok) << to_string(d);
    EXPECT_GT(outcome.worst_ratio, 1.0);
    EXPECT_NE(outcome.detail.find("float64 reference"), std::string::npos) << outcome.detail;
  }
}

TEST(ResultCheck, NanAndZeroOutputsFail) {
  std::vector<SampledProduct> samples = exact_samples(8, 64, DType::fp16, 3);
  samples[2].device_value = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(check_products(samples, DType::fp16).ok);
  samples = exact_samples(8, 64, DType::fp16, 3);
  for (SampledProduct& p : samples) p.device_value = 0;  // a kernel that never ran
  EXPECT_FALSE(check_products(samples, DType::fp16).ok);
}

TEST(ResultCheck, ToleranceOrdersDtypes) {
  EXPECT_LT(tolerance(DType::fp32), tolerance(DType::tf32));
  EXPECT_LT(tolerance(DType::fp16), tolerance(DType::bf16));
  EXPECT_EQ(tolerance(DType::fp8), tolerance(DType::bf16));  // fp8 writes bf16
}

TEST(ResultCheck, AllowedErrorStaysBelowAWrongAnswerForLongReductions) {
  // Random +-1 inputs: ||t||_1 = n, ||t||_2 = sqrt(n); a wrong element is off by ~sqrt(n).
  for (std::int64_t n : {16, 1024, 32768, 1 << 20}) {
    const double l1 = static_cast<double>(n), l2 = std::sqrt(l1);
    for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32, DType::fp8})
      EXPECT_LT(allowed_error(d, /*reference=*/l2, l2, l1, n), 0.2 * l2)
          << to_string(d) << " n=" << n;
  }
}

TEST(ResultCheck, ShapeClassesByAlignment) {
  EXPECT_EQ(shape_class(Op::attention_score, DType::fp16, GemmShape{128, 2048, 64, 2048}),
            "attention_score/fp16/m64.n64.k64");
  EXPECT_EQ(shape_class(Op::bmm, DType::bf16, GemmShape{3, 24, 33, 40}), "bmm/bf16/m8.n1.k8");
  EXPECT_EQ(shape_class(Op::gemm, DType::fp8, GemmShape{1, 48, 80, 16}), "gemm/fp8/m16.n16.k16");
  EXPECT_NE(shape_class(Op::gemm, DType::fp16, GemmShape{1, 64, 64, 64}),
            shape_class(Op::gemm, DType::bf16, GemmShape{1, 64, 64, 64}));
}

TEST(LtMatmul, DescriptorsBuildForEveryGpuDtype) {
  // Descriptor and preference calls are host-only in cuBLASLt: a wrong attribute type or size
  // shows up here, without a GPU (the handle is used only by candidates() and run()).
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32, DType::fp8})
    EXPECT_NO_THROW(LtMatmul(nullptr, d, GemmShape{3, 96, 80, 112}, std::size_t{32} << 20))
        << to_string(d);
  EXPECT_THROW(LtMatmul(nullptr, DType::fp64, GemmShape{1, 8, 8, 8}, 0), std::invalid_argument);
}

TEST(LtMatmul, AlignmentOfBatchStrides) {
  EXPECT_EQ(alignment_of(0), 256u);
  EXPECT_EQ(alignment_of(4096), 256u);
  EXPECT_EQ(alignment_of(2 * 24), 16u);
  EXPECT_EQ(alignment_of(2 * 33), 2u);
  EXPECT_EQ(alignment_of(33), 1u);
}

TEST(LtMatmul, OneBatchIsAlignedAsItsAllocation) {
  // With one batch no stride is ever added to the base pointer.
  EXPECT_EQ(batch_alignment(1, 33), 256u);
  EXPECT_EQ(batch_alignment(1, 2 * 24), 256u);
  EXPECT_EQ(batch_alignment(2, 33), 1u);
  EXPECT_EQ(batch_alignment(2, 2 * 24), 16u);
  EXPECT_EQ(batch_alignment(5, 4096), 256u);
}

}  // namespace
}  // namespace gs
