// [advise] tables: the shipped examples parse, and every file in bad/ gives its one-line error.
#include <gtest/gtest.h>

#include "advise/advise_job.hpp"
#include "jobs/job_error.hpp"
#include "jobs/spec_fingerprint.hpp"
#include "tests/jobs/bad_file_corpus.hpp"

namespace gs {
namespace {

std::string source(const std::string& relative) {
  return std::string(GEMMSWEEP_SOURCE_DIR) + "/" + relative;
}

TEST(AdviseParser, ShippedExamplesParse) {
  for (const char* file : {"jobs/advise_gpt3_2p7b.toml", "jobs/advise_llama_8b.toml"}) {
    SCOPED_TRACE(file);
    const AdviseJob job = parse_advise_job_file(source(file));
    EXPECT_FALSE(job.plan.candidates.empty());
    ASSERT_TRUE(job.plan.baseline);
    EXPECT_FALSE(job.spec.ops.empty());
    EXPECT_FALSE(job.spec.grid_definition.empty());
    EXPECT_LT(job.plan.products.size(), job.plan.product_uses);
  }
  const AdviseJob llama = parse_advise_job_file(source("jobs/advise_llama_8b.toml"));
  EXPECT_EQ(llama.advise.mlp, MlpKind::swiglu);
  EXPECT_FALSE(llama.advise.tied_embeddings);
  EXPECT_EQ(llama.plan.candidates[*llama.plan.baseline].heads, 32);
}

TEST(AdviseParser, RecognisesAdviseJobs) {
  EXPECT_TRUE(has_advise_table("name = \"x\"\n[advise]\n"));
  EXPECT_FALSE(has_advise_table("name = \"x\"\nops = [\"qkv_transform\"]\n"));
  EXPECT_FALSE(has_advise_table("not = toml = at all"));
}

// Another candidate set is another grid: resume and merge must refuse to mix them.
TEST(AdviseParser, FingerprintFollowsTheCandidates) {
  const std::string text = R"(name = "fp"
[advise]
params = { target = 2e6, tolerance = 0.9 }
hidden_size = [128, 256]
heads = 2
layers = 2
vocab_size = 256
seq_length = 32
)";
  std::string other = text;
  other.replace(other.find("[128, 256]"), 10, "[128, 192]");
  const AdviseJob a = parse_advise_job_text(text, "a.toml");
  const AdviseJob b = parse_advise_job_text(other, "b.toml");
  EXPECT_NE(spec_fingerprint(a.spec), spec_fingerprint(b.spec));
  EXPECT_EQ(spec_fingerprint(a.spec), spec_fingerprint(parse_advise_job_text(text, "c").spec));
}

TEST(AdviseParser, BadTablesGiveOneLineNamingTheField) {
  const std::size_t files = test::expect_each_bad_file_fails(
      source("tests/advise/bad"), [](const std::string& path) { parse_advise_job_file(path); });
  EXPECT_GE(files, 10u);
}

}  // namespace
}  // namespace gs
