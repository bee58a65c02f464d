// Recovery on synthetic truth: rows made by the model with known, perturbed terms are fitted
// back to those terms, and what cross-validation holds out is predicted within 2% (median).
#include <gtest/gtest.h>

#include <cmath>

#include "fit/fit_refused.hpp"
#include "fit/gpu_fit.hpp"
#include "synthetic_rows.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

GpuSpec truth_gpu() {
  GpuSpec g = *find_gpu("A100");
  g.terms = test::perturbed_terms();
  return g;
}

double term_value(const ModelTerms& t, std::size_t j) { return std::exp(to_vector(t)[j]); }

const FitErrorFigure* figure(const GpuFit& fit, const std::string& method, const std::string& op) {
  for (const FitErrorFigure& e : fit.errors)
    if (e.method == method && e.op == op) return &e;
  return nullptr;
}

TEST(RobustFit, FindsPerturbedTermsBackFromRowsWithTwoPercentNoise) {
  const GpuSpec truth = truth_gpu();
  const GpuFit fit =
      fit_gpu(test::synthetic_rows(truth, 1, 0.02), *find_gpu("A100"), *find_gpu("A100"));
  ASSERT_EQ(fit.dtypes.size(), 1u);
  const DtypeFit& d = fit.dtypes[0];
  int fitted = 0;
  for (std::size_t j = 0; j < kFreeTerms; ++j) {
    if (!d.fit.fitted[j]) continue;
    ++fitted;
    // The shares set most of a row's time; the fixed costs and the memory overlap only a part of
    // it (a few % of most rows), so 2% noise pins them less tightly.
    const double tolerance = term_is_share(j) ? 0.03 : 0.10;
    EXPECT_NEAR(term_value(d.fit.terms, j) / term_value(truth.terms, j), 1.0, tolerance)
        << term_name(j) << " fitted " << term_value(d.fit.terms, j) << " truth "
        << term_value(truth.terms, j);
  }
  EXPECT_GE(fitted, 8);  // every term the rows move (the 1-byte class's two may be one)
  // A sweep with reductions from 31 to 16,384 elements identifies the memory overlap.
  EXPECT_TRUE(d.fit.fitted[static_cast<std::size_t>(Term::memory_overlap)]);
  for (const char* op : {"attention_score", "gemm"}) {
    const FitErrorFigure* e = figure(fit, "kfold", op);
    ASSERT_NE(e, nullptr) << op;
    EXPECT_LT(e->median, 0.02) << op;
  }
}

TEST(RobustFit, NoiseFreeRowsGiveTheTermsBackExactly) {
  const GpuSpec truth = truth_gpu();
  const auto rows = test::synthetic_rows(truth, 5, 0.0);
  TermFitRequest request{find_gpu("A100")->terms, find_gpu("A100")->terms, {}};
  request.allowed.fill(true);
  const TermFit fit = fit_terms(rows, *find_gpu("A100"), DType::fp16, request);
  for (std::size_t j = 0; j < kFreeTerms; ++j)
    if (fit.fitted[j]) {
      EXPECT_NEAR(term_value(fit.terms, j) / term_value(truth.terms, j), 1.0, 1e-3) << term_name(j);
    }
}

TEST(RobustFit, AFewWildRowsDoNotPullTheTerms) {
  const GpuSpec truth = truth_gpu();
  auto rows = test::synthetic_rows(truth, 3, 0.02);
  for (std::size_t i = 0; i < rows.size(); i += 25) rows[i].measured_s *= 2.5;  // 4% throttled
  const GpuFit fit = fit_gpu(rows, *find_gpu("A100"), *find_gpu("A100"));
  const ModelTerms& t = fit.dtypes[0].fit.terms;
  EXPECT_NEAR(t.compute_efficiency / truth.terms.compute_efficiency, 1.0, 0.03);
  EXPECT_NEAR(t.bandwidth_efficiency / truth.terms.bandwidth_efficiency, 1.0, 0.03);
  EXPECT_NEAR(t.tile_overhead_s / truth.terms.tile_overhead_s, 1.0, 0.05);
}

TEST(RobustFit, HeldTermsKeepTheBaseValueBitForBit) {
  const GpuSpec truth = truth_gpu();
  const ModelTerms& base = find_gpu("A100")->terms;
  TermFitRequest request{base, base, {}};
  request.allowed.fill(true);
  request.allowed[static_cast<std::size_t>(Term::compute_efficiency)] = false;
  const TermFit fit =
      fit_terms(test::synthetic_rows(truth, 5, 0.0), *find_gpu("A100"), DType::fp16, request);
  EXPECT_EQ(fit.terms.compute_efficiency, base.compute_efficiency);
  EXPECT_FALSE(fit.fitted[static_cast<std::size_t>(Term::compute_efficiency)]);
  EXPECT_NE(fit.terms.bandwidth_efficiency, base.bandwidth_efficiency);
}

TEST(RobustFit, TermsTheRowsCannotMoveAreHeldWithAReason) {
  // The seed grid's GEMMs take hundreds of microseconds: the 3 us launch floor is invisible.
  const GpuFit fit =
      fit_gpu(test::seed_grid_quarter(truth_gpu()), *find_gpu("A100"), *find_gpu("A100"));
  const DtypeFit& d = fit.dtypes[0];
  EXPECT_FALSE(d.fit.fitted[static_cast<std::size_t>(Term::launch)]);
  EXPECT_EQ(d.fit.terms.launch_s, find_gpu("A100")->terms.launch_s);
  bool named = false;
  for (const std::string& note : fit.notes) named = named || note.find("launch_s") != note.npos;
  EXPECT_TRUE(named);
}

TEST(RobustFit, EachDtypeIsFittedOnItsOwnRows) {
  GpuSpec truth = truth_gpu();
  ModelTerms bf16 = truth.terms;
  bf16.compute_efficiency = 0.7;
  truth.dtype_terms[DType::bf16] = bf16;
  auto rows = test::synthetic_rows(truth, 4, 0.0);
  const std::size_t fp16_rows = rows.size();
  for (std::size_t i = 0; i < fp16_rows; ++i) {
    FitObservation o = rows[i];
    o.task.point.dtype = DType::bf16;
    o.measured_s = predicted_seconds(o, truth);
    rows.push_back(o);
  }
  const GpuFit fit = fit_gpu(rows, *find_gpu("A100"), *find_gpu("A100"));
  ASSERT_EQ(fit.dtypes.size(), 2u);
  EXPECT_NEAR(fit.spec.terms_for(DType::fp16).compute_efficiency, 0.82, 0.82e-3);
  EXPECT_NEAR(fit.spec.terms_for(DType::bf16).compute_efficiency, 0.7, 0.7e-3);
  // A dtype without rows keeps the base's terms.
  EXPECT_EQ(fit.spec.terms_for(DType::tf32), find_gpu("A100")->terms);
}

TEST(RobustFit, RefusesRowsThatCannotIdentifyTheTerms) {
  const GpuSpec& a100 = *find_gpu("A100");
  EXPECT_THROW(fit_gpu({}, a100, a100), FitRefused);
  auto few = test::seed_grid_rows(a100, 1, 64);  // 16 rows
  EXPECT_THROW(fit_gpu(few, a100, a100), FitRefused);
  auto one_class = test::seed_grid_rows(a100, 64, 64);  // h/a = 64, 128, ...: all >= 32 B
  auto more = test::seed_grid_rows(a100, 16, 16);
  for (const FitObservation& o : more)
    if (o.alignment_class == 0) one_class.push_back(o);
  ASSERT_GE(one_class.size(), kMinRowsPerDtype);
  try {
    fit_gpu(one_class, a100, a100);
    ADD_FAILURE();
  } catch (const FitRefused& e) {
    EXPECT_NE(std::string(e.what()).find("one alignment class"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gs
