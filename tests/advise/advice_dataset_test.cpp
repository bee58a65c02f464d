// The /advice dataset: every field of the table round-trips, and a rerun replaces it.
#include "advise/advice_dataset.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "io/h5_file.hpp"

namespace gs {
namespace {

namespace fs = std::filesystem;

class AdviceDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("advice_" + std::to_string(getpid()) + ".h5")).string();
    H5Plist access = make_file_access();
    H5File f(H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()));
    ASSERT_TRUE(f);
  }
  void TearDown() override { fs::remove(path_); }
  std::string path_;
};

AdviceRecord record(int i) {
  CandidateAdvice a;
  a.candidate.hidden_size = 2560 + 64 * i;
  a.candidate.heads = 32;
  a.candidate.head_dim = 80;
  a.candidate.layers = 32;
  a.candidate.vocab_size = 50257;
  a.candidate.padded_vocab = 50304;
  a.candidate.ffn_hidden_size = 10240;
  a.candidate.microbatch = 4;
  a.candidate.seq_length = 2048;
  a.candidate.tensor_parallel = 1;
  a.candidate.dtype = DType::bf16;
  a.params.total = 2.6e9 + i;
  a.step.step_time_s = 0.5 + i;
  a.step.complete = true;
  a.tokens_per_s = 1e4 - i;
  a.mfu = i == 1 ? std::nan("") : 0.5;
  a.rank = i + 1;
  a.baseline = i == 2;
  a.rules = 6;
  return make_advice_record(a);
}

TEST_F(AdviceDataset, FieldsRoundTripAndRerunsReplace) {
  std::vector<AdviceRecord> rows = {record(0), record(1), record(2)};
  write_advice(path_, rows, "note one\nnote two\n");
  const std::vector<AdviceRecord> back = read_advice(path_);
  ASSERT_EQ(back.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back[i].hidden_size, rows[i].hidden_size);
    EXPECT_EQ(back[i].padded_vocab, 50304);
    EXPECT_STREQ(back[i].dtype, "bf16");
    EXPECT_STREQ(back[i].rules, "h64t v64");
    EXPECT_EQ(back[i].rank, static_cast<std::int32_t>(i + 1));
    EXPECT_EQ(back[i].baseline, i == 2 ? 1 : 0);
    EXPECT_EQ(back[i].measured, 1);
  }
  EXPECT_TRUE(std::isnan(back[1].mfu));
  write_advice(path_, {record(5)}, "rerun\n");
  const auto again = read_advice(path_);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].hidden_size, 2560 + 64 * 5);
}

TEST(AdviceFields, NamesAreUniqueAndCoverTheRecord) {
  std::set<std::string> names;
  std::size_t bytes = 0;
  for (const AdviceField& f : advice_fields()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    bytes += f.size;
  }
  for (const char* required :
       {"hidden_size", "heads", "head_dim", "layers", "vocab_size", "ffn_hidden_size", "microbatch",
        "seq_length", "tensor_parallel", "dtype", "params", "layer_time_s", "step_time_s",
        "tokens_per_s", "mfu", "rank", "baseline", "measured", "rules"})
    EXPECT_TRUE(names.count(required)) << required;
  EXPECT_LE(bytes, sizeof(AdviceRecord));
}

}  // namespace
}  // namespace gs
