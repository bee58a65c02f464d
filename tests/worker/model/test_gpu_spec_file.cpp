// The GPU spec file format (docs/model.md, "GPU spec files"): the built-in GPUs are spec files,
// and a spec written and read back predicts bit for bit what it did.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "jobs/job_error.hpp"
#include "worker/model/builtin_gpu_specs.hpp"
#include "worker/model/gpu_choice.hpp"
#include "worker/model/gpu_spec_document.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_gpu_spec(text, "t.toml");
  } catch (const JobError& e) {
    return e.what();
  }
  return "";
}

std::string a100_text() {
  for (const BuiltinGpuSpecText& s : builtin_gpu_spec_texts())
    if (std::string(s.file) == "A100.toml") return s.text;
  return "";
}

TEST(GpuSpecFile, BuiltinsAreTheShippedFilesInCatalogOrder) {
  const auto texts = builtin_gpu_spec_texts();
  ASSERT_EQ(texts.size(), 5u);
  EXPECT_EQ(known_gpu_names(), "V100, A100, H100, H200, MI250X");
  for (const BuiltinGpuSpecText& s : texts) {
    std::ifstream in(std::filesystem::path(GEMMSWEEP_SOURCE_DIR) / "worker/model/gpus" / s.file);
    std::ostringstream on_disk;
    on_disk << in.rdbuf();
    EXPECT_EQ(on_disk.str(), s.text) << s.file << " is stale in the build";
  }
}

TEST(GpuSpecFile, BuiltinsHoldTheDatasheetAndTheHandCalibration) {
  const GpuSpec& a100 = *find_gpu("a100");
  EXPECT_EQ(a100.sm_count, 108);
  EXPECT_EQ(a100.tf32_tflops, 156);
  EXPECT_EQ(a100.terms.tile_overhead_s, 0.5e-6);
  EXPECT_EQ(a100.terms.alignment[2].compute, 0.76);
  EXPECT_TRUE(a100.dtype_terms.empty());
  const GpuSpec& v100 = *find_gpu("V100");
  EXPECT_FALSE(v100.has_bf16);
  EXPECT_EQ(v100.tf32_tflops, 0);
  EXPECT_EQ(find_gpu("H200")->terms.compute_efficiency, 0.85);
}

TEST(GpuSpecFile, BuiltinsRecordTheClockBehindTheirPeakAndNoSustainedClock) {
  // The peak is SMs x FLOP per clock x the clock; FLOP per clock per SM doubles from Volta to
  // Ampere to Hopper (whitepapers), so each recorded clock must give back its datasheet peak.
  const struct {
    const char* gpu;
    double flop_per_clock_per_sm;
  } peaks[] = {{"V100", 1024}, {"A100", 2048}, {"H100", 4096}, {"H200", 4096}, {"MI250X", 1024}};
  for (const auto& p : peaks) {
    const GpuSpec& g = *find_gpu(p.gpu);
    const double peak = g.sm_count * p.flop_per_clock_per_sm * g.boost_clock_mhz * 1e6 / 1e12;
    EXPECT_NEAR(peak / g.peak_tflops, 1.0, 0.005) << p.gpu;
    EXPECT_EQ(g.sustained_clock_mhz, 0) << p.gpu;
    EXPECT_EQ(g.clock_ratio(), 1.0) << p.gpu;
  }
}

TEST(GpuSpecFile, SustainedClockScalesTheComputeCeilingAsAProductWithTheEfficiency) {
  GpuSpec clocked = *find_gpu("H100");
  clocked.sustained_clock_mhz = 0.8 * clocked.boost_clock_mhz;
  GpuSpec less_efficient = *find_gpu("H100");
  less_efficient.terms.compute_efficiency *= 0.8;
  for (const GemmShape& shape : {GemmShape{1, 8192, 8192, 8192}, GemmShape{128, 2048, 64, 2048}}) {
    const ModelBreakdown a = explain_prediction(shape, DType::bf16, clocked);
    const ModelBreakdown b = explain_prediction(shape, DType::bf16, less_efficient);
    EXPECT_NEAR(a.compute_s / b.compute_s, 1.0, 1e-12);
    EXPECT_GT(a.compute_s, explain_prediction(shape, DType::bf16, *find_gpu("H100")).compute_s);
  }
}

TEST(GpuSpecFile, WrittenAndReadBackIsTheSameSpec) {
  for (GpuSpec g : known_gpus()) {
    GpuSpecDocument doc{g, std::nullopt};
    EXPECT_EQ(parse_gpu_spec(format_gpu_spec(doc), "x"), doc) << g.name;
    ModelTerms fitted = g.terms;
    fitted.compute_efficiency = 0.8123456789012345;
    fitted.tile_overhead_s = 1.2345678901234567e-6;
    fitted.alignment[3].memory = 1.0 / 3.0;
    doc.gpu.dtype_terms[DType::bf16] = fitted;
    doc.gpu.sustained_clock_mhz = 0.9 * g.boost_clock_mhz;
    doc.fit = FitRecord{"r \"1\".h5",
                        "abcd",
                        "A100",
                        "2026-12-02T00:00:00Z",
                        "Huber",
                        42,
                        5,
                        {"a note"},
                        {{"kfold", "gemm", "bf16", 42, 0.0123, 0.0456}}};
    const GpuSpecDocument back = parse_gpu_spec(format_gpu_spec(doc), "x");
    EXPECT_EQ(back, doc) << g.name;
    const GemmShape shape{4, 2048, 127, 2048};
    EXPECT_EQ(explain_prediction(shape, DType::bf16, back.gpu).total_s,
              explain_prediction(shape, DType::bf16, doc.gpu).total_s);
  }
}

TEST(GpuSpecFile, TileMenuIsDataWithTheAmpereMenuAsDefault) {
  EXPECT_EQ(find_gpu("A100")->tiles, default_tile_menu());
  // Hopper's spec lists its sm90 tiles; they are the default's shapes and efficiencies, so its
  // predictions are those of the menu in code before it was data.
  EXPECT_EQ(find_gpu("H100")->tiles, default_tile_menu());
  EXPECT_EQ(find_gpu("H200")->tiles, default_tile_menu());

  GpuSpec only_small = *find_gpu("A100");
  only_small.tiles = {{64, 64, 0.8, 4}};
  const GemmShape large{1, 8192, 8192, 8192};
  const ModelBreakdown small = explain_prediction(large, DType::fp16, only_small);
  EXPECT_EQ(small.tile_m, 64);
  EXPECT_EQ(small.tile_n, 64);
  EXPECT_GT(small.compute_s,
            1.2 * explain_prediction(large, DType::fp16, *find_gpu("A100")).compute_s);

  const GpuSpecDocument doc{only_small, std::nullopt};
  const std::string text = format_gpu_spec(doc);
  EXPECT_NE(text.find("tiles = ["), std::string::npos);
  EXPECT_EQ(parse_gpu_spec(text, "x"), doc);
  EXPECT_EQ(format_gpu_spec({*find_gpu("A100"), std::nullopt}).find("tiles"), std::string::npos);
}

TEST(GpuSpecFile, DtypeTermsApplyToTheirDtypeOnly) {
  GpuSpec g = *find_gpu("A100");
  const GemmShape shape{1, 8192, 8192, 8192};
  const double fp16_before = explain_prediction(shape, DType::fp16, g).total_s;
  g.dtype_terms[DType::bf16] = g.terms;
  g.dtype_terms[DType::bf16].compute_efficiency = 0.45;
  EXPECT_EQ(explain_prediction(shape, DType::fp16, g).total_s, fp16_before);
  EXPECT_GT(explain_prediction(shape, DType::bf16, g).total_s, 1.8 * fp16_before);
}

TEST(GpuSpecFile, BadFieldsAreNamedWithWhatIsAllowed) {
  const std::string good = a100_text();
  ASSERT_FALSE(good.empty());
  EXPECT_EQ(error_of(good), "");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  EXPECT_NE(error_of(replaced("sm_count = 108", "sm_count = 0")).find("sm_count"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("compute_efficiency = 0.9", "compute_efficiency = 1.5"))
                .find("terms.compute_efficiency: 1.5 is not allowed"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("bf16 = 312", "bf16 = 300")).find("peak_tflops.bf16"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("name = \"A100\"\n", "")).find("name: is missing"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("{ min_bytes = 16,", "{ min_bytes = 8,")).find("alignment[1]"),
            std::string::npos);
  EXPECT_NE(error_of(good + "colour = 1\n").find("colour: unknown key"), std::string::npos);
  EXPECT_NE(error_of(replaced("boost = 1410", "boost = 1410\nsustained = 1500"))
                .find("clock_mhz.sustained: 1500 is not allowed"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("boost = 1410", "sustained = 1300")).find("clock_mhz.boost"),
            std::string::npos);
  EXPECT_EQ(error_of(replaced("boost = 1410", "boost = 1410\nsustained = 1305")), "");
  const std::string menu = "tiles = [{ m = 128, n = 128, efficiency = 0.97, ctas_per_sm = 2 }]\n";
  EXPECT_EQ(error_of(replaced("sm_count = 108", "sm_count = 108\n" + menu)), "");
  EXPECT_NE(error_of(replaced("sm_count = 108", "sm_count = 108\ntiles = []"))
                .find("tiles: must be a non-empty array"),
            std::string::npos);
  std::string bad_menu = menu;
  bad_menu.replace(bad_menu.find("0.97"), 4, "1.5");
  EXPECT_NE(error_of(replaced("sm_count = 108", "sm_count = 108\n" + bad_menu))
                .find("tiles[0].efficiency: 1.5 is not allowed"),
            std::string::npos);
  EXPECT_NE(error_of(replaced("sm_count = 108", "sm_count = 108\nstream_k = 1"))
                .find("stream_k: 1 is not allowed; allowed: true or false"),
            std::string::npos);
  EXPECT_NE(error_of("format = [").find("t.toml:1"), std::string::npos);
}

TEST(GpuChoice, NameSpecFileOrDefaultAreOneMechanism) {
  const auto path = std::filesystem::temp_directory_path() / "gemmsweep_choice_h100.toml";
  GpuSpec h100 = *find_gpu("H100");
  h100.name = "H100-fitted";
  std::ofstream(path) << format_gpu_spec({h100, std::nullopt});
  EXPECT_EQ(resolve_gpu_choice({std::nullopt, path.string()}), h100);
  EXPECT_EQ(resolve_gpu_choice({"h200", std::nullopt}), *find_gpu("H200"));
  EXPECT_EQ(resolve_gpu_choice({}), *find_gpu("A100"));
  EXPECT_THROW(resolve_gpu_choice({"H100", path.string()}), JobError);
  try {
    resolve_gpu_choice({std::nullopt, std::nullopt, "Z80", "job.toml: [run] gpu"});
    ADD_FAILURE();
  } catch (const JobError& e) {
    EXPECT_NE(std::string(e.what()).find("job.toml: [run] gpu: unknown GPU 'Z80'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(resolve_gpu_choice({std::nullopt, "/nonexistent/x.toml"}), JobError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gs
