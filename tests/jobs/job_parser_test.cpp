#include "jobs/job_parser.hpp"

#include <gtest/gtest.h>

#include "jobs/job_error.hpp"
#include "jobs/spec_fingerprint.hpp"

namespace gs {
namespace {

JobSpec parse(const std::string& text) { return parse_job_text(text, "test.toml"); }

const char* kSeed = R"(
name = "seed"
ops = ["attention_score"]
dtype = "fp16"
[model]
heads = 32
head_dim = { start = 1, stop = 1024 }
microbatch = 4
seq_length = 2048
tensor_parallel = 1
)";

TEST(JobParser, ParsesTheDesignExample) {
  const JobSpec s = parse(kSeed);
  EXPECT_EQ(s.name, "seed");
  ASSERT_EQ(s.ops.size(), 1u);
  EXPECT_EQ(s.ops[0], Op::attention_score);
  ASSERT_EQ(s.dtypes.size(), 1u);
  EXPECT_EQ(s.dtypes[0], DType::fp16);
  EXPECT_EQ(s.model.heads.values, std::vector<std::int64_t>{32});
  ASSERT_EQ(s.model.head_dim.size(), 1024u);
  EXPECT_EQ(s.model.head_dim.values.front(), 1);
  EXPECT_EQ(s.model.head_dim.values.back(), 1024);
  EXPECT_FALSE(s.model.hidden_size.given());
  EXPECT_EQ(s.timing, TimingSettings{});
  EXPECT_EQ(s.run.backend, "auto");
  EXPECT_FALSE(s.raw());
}

TEST(JobParser, AxisForms) {
  const JobSpec s = parse(R"(
name = "forms"
ops = ["attention_score"]
[model]
heads = [12, 24, 32]
head_dim = { start = 64, stop = 256, step = 64 }
seq_length = { start = 512, stop = 8192, factor = 2 }
microbatch = { start = 1, stop = 8, factor = 1.5 }
)");
  EXPECT_EQ(s.model.heads.values, (std::vector<std::int64_t>{12, 24, 32}));
  EXPECT_EQ(s.model.head_dim.values, (std::vector<std::int64_t>{64, 128, 192, 256}));
  EXPECT_EQ(s.model.seq_length.values, (std::vector<std::int64_t>{512, 1024, 2048, 4096, 8192}));
  // 1, 1.5, 2.25, 3.375, 5.06, 7.59 rounded and deduplicated.
  EXPECT_EQ(s.model.microbatch.values, (std::vector<std::int64_t>{1, 2, 3, 5, 8}));
}

TEST(JobParser, RangeStepStopsAtOrBeforeStop) {
  const JobSpec s = parse(R"(
name = "r"
ops = ["attention_score"]
[model]
heads = 1
head_dim = { start = 1, stop = 10, step = 4 }
seq_length = 1
)");
  EXPECT_EQ(s.model.head_dim.values, (std::vector<std::int64_t>{1, 5, 9}));
}

TEST(JobParser, DtypeListAndRunAndTiming) {
  const JobSpec s = parse(R"(
name = "t"
ops = ["qkv_transform", "logit"]
dtype = ["bf16", "fp32"]
[model]
hidden_size = 4096
heads = 32
seq_length = 2048
vocab_size = 50304
[timing]
warmup = 0
min_samples = 3
max_samples = 3
max_rel_ci = 0.5
max_seconds_per_point = 1
[run]
backend = "model"
gpu = "H200"
order = "shuffle"
autotune = true
)");
  EXPECT_EQ(s.dtypes, (std::vector<DType>{DType::bf16, DType::fp32}));
  EXPECT_EQ(s.timing.warmup, 0);
  EXPECT_EQ(s.timing.min_samples, 3);
  EXPECT_DOUBLE_EQ(s.timing.max_seconds_per_point, 1.0);
  EXPECT_EQ(s.run.backend, "model");
  EXPECT_EQ(s.run.gpu, "H200");
  EXPECT_EQ(s.run.order, "shuffle");
  EXPECT_TRUE(s.run.autotune);
}

TEST(JobParser, RawBmm) {
  const JobSpec s = parse(R"(
name = "raw"
ops = ["bmm"]
dtype = "fp32"
[shape]
batch = [1, 8]
m = 512
n = { start = 64, stop = 256, factor = 2 }
k = 512
)");
  EXPECT_TRUE(s.raw());
  EXPECT_EQ(s.shape.n.values, (std::vector<std::int64_t>{64, 128, 256}));
}

TEST(JobParser, ErrorCarriesFileLineAndKey) {
  try {
    parse(
        "name = \"x\"\nops = [\"attention_score\"]\n[model]\nheads = 32\nhead_dim = 0\n"
        "seq_length = 1\n");
    FAIL() << "expected JobError";
  } catch (const JobError& e) {
    EXPECT_EQ(e.file(), "test.toml");
    EXPECT_EQ(e.line(), 5);
    EXPECT_EQ(e.key(), "model.head_dim");
    EXPECT_NE(std::string(e.what()).find("test.toml:5: model.head_dim: value 0"), std::string::npos)
        << e.what();
  }
}

// `run` (and merge's re-expansion) on an advise job says which command takes it.
TEST(JobParser, AnAdviseJobIsReferredToAdvise) {
  try {
    parse("name = \"x\"\n[advise]\nlayers = 2\n");
    FAIL() << "expected JobError";
  } catch (const JobError& e) {
    EXPECT_EQ(e.key(), "advise");
    EXPECT_NE(std::string(e.what()).find("run it with gemmsweep advise"), std::string::npos)
        << e.what();
  }
}

TEST(JobParser, NameLengthCountsCharactersAndTheEchoStaysValidUtf8) {
  const auto job = [](const std::string& name) {
    return "name = \"" + name +
           "\"\nops = [\"attention_score\"]\n[model]\nheads = 32\n"
           "head_dim = 64\nseq_length = 2048\n";
  };
  std::string cjk;
  for (int i = 0; i < 150; ++i) cjk += "\u5927";  // 3 bytes each: 450 bytes, 150 characters
  EXPECT_EQ(parse(job(cjk)).name, cjk);
  for (int i = 0; i < 51; ++i) cjk += "\u5927";
  try {
    parse(job(cjk));
    FAIL() << "201 characters accepted";
  } catch (const JobError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("1 to 200 characters"), std::string::npos) << what;
    // The echo is cut between characters: every lead byte has all its continuation bytes.
    const std::size_t open = what.find('"'), dots = what.find("...");
    ASSERT_NE(dots, std::string::npos) << what;
    EXPECT_EQ((dots - open - 1) % 3, 0u) << what;
  }
  EXPECT_THROW(parse(job("   ")), JobError);
}

TEST(JobParser, MissingFileIsAJobError) {
  try {
    parse_job_file("/nonexistent/job.toml");
    FAIL();
  } catch (const JobError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/job.toml: cannot open"), std::string::npos);
  }
}

TEST(SpecFingerprint, IgnoresTimingButNotAxes) {
  const JobSpec a = parse(kSeed);
  JobSpec b = parse(std::string(kSeed) + "[timing]\nwarmup = 1\n");
  EXPECT_EQ(spec_fingerprint(a), spec_fingerprint(b));
  std::string other = kSeed;
  other.replace(other.find("stop = 1024"), 11, "stop = 1023");
  EXPECT_NE(spec_fingerprint(a), spec_fingerprint(parse(other)));
  EXPECT_EQ(spec_fingerprint(a).size(), 16u);
}

}  // namespace
}  // namespace gs
