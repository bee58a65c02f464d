#include <gtest/gtest.h>

#include <map>

#include "fit/cross_validation.hpp"
#include "synthetic_rows.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

TEST(CrossValidation, FoldsAreContiguousHiddenSizeBlocksOfEveryClass) {
  const auto rows = test::seed_grid_rows(*find_gpu("A100"), 1, 1);
  const std::vector<int> fold = hidden_size_folds(rows, 5);
  std::map<int, std::vector<std::pair<std::int64_t, int>>> by_class;
  for (std::size_t i = 0; i < rows.size(); ++i)
    by_class[rows[i].alignment_class].push_back({rows[i].hidden_size, fold[i]});
  EXPECT_EQ(by_class.size(), 4u);
  for (auto& [cls, members] : by_class) {
    std::sort(members.begin(), members.end());
    std::map<int, int> sizes;
    for (std::size_t i = 0; i < members.size(); ++i) {
      ++sizes[members[i].second];
      if (i > 0) {
        EXPECT_GE(members[i].second, members[i - 1].second) << "class " << cls;
      }
    }
    ASSERT_EQ(sizes.size(), 5u) << "class " << cls;
    EXPECT_LE(sizes.rbegin()->second - sizes.begin()->second, 1) << "class " << cls;
  }
}

TEST(CrossValidation, FiguresAreMedianAndNinetiethPercentilePerOp) {
  std::vector<FitObservation> rows(10);
  std::vector<double> predicted;
  for (int i = 0; i < 10; ++i) {
    rows[i].task.op = i < 9 ? Op::gemm : Op::attention_score;
    rows[i].measured_s = 1;
    predicted.push_back(1 + 0.01 * (i + 1) * (i % 2 ? 1 : -1));  // errors 1%..9%, then 10%
  }
  const auto figures =
      error_figures(rows, predicted, std::vector<bool>(10, true), "kfold", DType::bf16);
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].op, "attention_score");
  EXPECT_EQ(figures[0].points, 1);
  EXPECT_NEAR(figures[0].median, 0.10, 1e-12);
  EXPECT_EQ(figures[1].op, "gemm");
  EXPECT_EQ(figures[1].points, 9);
  EXPECT_NEAR(figures[1].median, 0.05, 1e-12);
  EXPECT_NEAR(figures[1].p90, 0.09, 1e-12);  // nearest rank: ceil(0.9 x 9) = 9th
  EXPECT_EQ(figures[1].dtype, "bf16");
}

TEST(CrossValidation, LeaveOneClassOutKeepsTheHeldOutClassAtTheBase) {
  // Truth differs from the base only in the 16-byte class's memory factor: holding that class
  // out must predict it with the base's factor (wrong), the others right.
  GpuSpec truth = *find_gpu("A100");
  truth.terms.alignment[1].memory = 0.6;
  const auto rows = test::synthetic_rows(truth, 1, 0.0);
  std::array<bool, kFreeTerms> allowed{};
  allowed.fill(true);
  const CrossValidation cv = leave_one_class_out_error(
      rows, *find_gpu("A100"), DType::fp16, truth.terms, find_gpu("A100")->terms, allowed, {});
  GpuSpec base = *find_gpu("A100");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].alignment_class != 1) continue;
    EXPECT_NEAR(cv.predicted_s[i] / predicted_seconds(rows[i], base), 1.0, 0.02);
  }
}

}  // namespace
}  // namespace gs
