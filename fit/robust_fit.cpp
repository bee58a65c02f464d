#include "fit/robust_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fit/linear_solve.hpp"

namespace gs {
namespace {

constexpr double kJacobianStep = 1e-5;       // in log-term space: a 0.001% change of the term
constexpr double kRelativeTolerance = 1e-9;  // stop when a step gains less of the loss
constexpr double kStepTolerance = 1e-7;      // or moves no term by more than this (relative)
constexpr double kInitialScale = 0.05;
constexpr double kMinScale = 0.005;
constexpr double kMaxScale = 0.25;
// The bound's penalty weight (a multiple of a squared residual's) and how far inside the bound
// the penalty begins, on log time: a penalty balances the loss's pull only once the row is past
// where it starts, so starting 0.1% inside keeps the fitted rows within the bound itself.
constexpr double kBoundWeight = 1e4;
constexpr double kBoundMargin = 1e-3;

struct Problem {
  const std::vector<FitObservation>& rows;
  GpuSpec gpu;
  DType dtype;
  ModelTerms held;
  std::array<bool, kFreeTerms> moving{};  // the terms a TermVector sets; the rest stay `held`
  std::vector<double> log_measured;

  std::vector<double> log_predicted(const TermVector& v) {
    gpu.dtype_terms[dtype] = to_terms(v, held, &moving);
    std::vector<double> out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      out[i] = std::log(predicted_seconds(rows[i], gpu));
    return out;
  }
};

double huber(double r, double scale) {
  const double a = std::abs(r);
  return a <= scale ? 0.5 * r * r : scale * (a - 0.5 * scale);
}

// The bound on log(predicted / measured) time: +-log(1 + bound), the margin inside, so that the
// predicted time and the predicted TFLOP/s are each within the bound of the measured ones.
struct LogBound {
  double high = HUGE_VAL;
  explicit LogBound(double bound) {
    if (bound > 0) high = std::log1p(bound) - kBoundMargin;
  }
  // How far r lies past the bound (signed), 0 within.
  double excess(double r) const { return r > high ? r - high : r < -high ? r + high : 0.0; }
};

double mean_loss(const std::vector<double>& pred, const std::vector<double>& meas, double scale,
                 const LogBound& bound) {
  double sum = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    const double r = pred[i] - meas[i], e = bound.excess(r);
    sum += huber(r, scale) + 0.5 * kBoundWeight * e * e;
  }
  return sum / static_cast<double>(std::max<std::size_t>(1, pred.size()));
}

// Columns d log(prediction) / d log(term) of the terms in `which`.
std::vector<std::vector<double>> jacobian(Problem& p, const TermVector& v,
                                          const std::vector<double>& at,
                                          const std::vector<std::size_t>& which) {
  std::vector<std::vector<double>> columns;
  for (std::size_t j : which) {
    TermVector moved = v;
    moved[j] += kJacobianStep;
    std::vector<double> col = p.log_predicted(moved);
    for (std::size_t i = 0; i < col.size(); ++i) col[i] = (col[i] - at[i]) / kJacobianStep;
    columns.push_back(std::move(col));
  }
  return columns;
}

// Gram-Schmidt in the terms' order of preference: a term is kept when it moves enough rows and
// is not (nearly) a combination of the terms kept before it.
std::vector<std::size_t> identifiable(const std::vector<std::vector<double>>& columns,
                                      const std::vector<std::size_t>& which,
                                      const RobustFitSettings& s,
                                      std::vector<std::string>& reasons) {
  std::vector<std::size_t> kept;
  std::vector<std::vector<double>> basis;
  for (std::size_t c = 0; c < which.size(); ++c) {
    const std::vector<double>& col = columns[c];
    const auto moved = std::count_if(col.begin(), col.end(),
                                     [&](double x) { return std::abs(x) >= s.min_elasticity; });
    if (moved < s.min_moved_rows) {
      reasons.push_back(fmt::format("{}: moves {} row(s) by {}% per 1% (needs {})",
                                    term_name(which[c]), moved, s.min_elasticity * 100,
                                    s.min_moved_rows));
      continue;
    }
    std::vector<double> rest = col;
    for (const std::vector<double>& b : basis) {
      double dot = 0;
      for (std::size_t i = 0; i < rest.size(); ++i) dot += rest[i] * b[i];
      for (std::size_t i = 0; i < rest.size(); ++i) rest[i] -= dot * b[i];
    }
    double norm = 0, rest_norm = 0;
    for (std::size_t i = 0; i < col.size(); ++i) {
      norm += col[i] * col[i];
      rest_norm += rest[i] * rest[i];
    }
    if (rest_norm < s.min_independent_share * s.min_independent_share * norm) {
      reasons.push_back(
          fmt::format("{}: enters these rows only with the terms before it", term_name(which[c])));
      continue;
    }
    for (double& x : rest) x /= std::sqrt(rest_norm);
    basis.push_back(std::move(rest));
    kept.push_back(which[c]);
  }
  return kept;
}

// Levenberg-Marquardt on the mean Huber loss, the weights of iteratively reweighted least
// squares recomputed at every step; shares capped at 1 (log 0). Returns the iterations taken.
int minimize(Problem& p, TermVector& v, const std::vector<std::size_t>& free, double scale,
             const LogBound& bound, int max_iterations, double& loss) {
  std::vector<double> pred = p.log_predicted(v);
  loss = mean_loss(pred, p.log_measured, scale, bound);
  double lambda = 1e-3;
  int iteration = 0;
  for (; iteration < max_iterations && !free.empty(); ++iteration) {
    const auto columns = jacobian(p, v, pred, free);
    const std::size_t n = free.size();
    std::vector<double> normal(n * n, 0.0), gradient(n, 0.0);
    for (std::size_t i = 0; i < p.rows.size(); ++i) {
      const double r = pred[i] - p.log_measured[i];
      const double w = std::abs(r) <= scale ? 1.0 : scale / std::abs(r);
      // The bound's penalty is a least-squares term of its own: weight kBoundWeight on the
      // excess, the same Jacobian row.
      const double e = bound.excess(r), wb = e != 0 ? kBoundWeight : 0.0;
      for (std::size_t a = 0; a < n; ++a) {
        gradient[a] += (w * r + wb * e) * columns[a][i];
        for (std::size_t b = 0; b <= a; ++b)
          normal[a * n + b] += (w + wb) * columns[a][i] * columns[b][i];
      }
    }
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < a; ++b) normal[b * n + a] = normal[a * n + b];
    // A share at its cap that the descent would raise further stays out of this step: else the
    // Gauss-Newton step, clamped, crawls along the bound.
    std::vector<std::size_t> step_terms;
    for (std::size_t a = 0; a < n; ++a)
      if (!(term_is_share(free[a]) && v[free[a]] >= 0 && gradient[a] < 0)) step_terms.push_back(a);
    const std::size_t m = step_terms.size();
    if (m == 0) break;
    bool improved = false, converged = false;
    while (!improved && lambda < 1e10) {
      std::vector<double> damped(m * m), step(m);
      for (std::size_t a = 0; a < m; ++a) {
        for (std::size_t b = 0; b < m; ++b)
          damped[a * m + b] = normal[step_terms[a] * n + step_terms[b]];
        damped[a * m + a] *= 1 + lambda;
        step[a] = -gradient[step_terms[a]];
      }
      if (!solve_linear(damped, step)) {
        lambda *= 10;
        continue;
      }
      TermVector trial = v;
      double largest_step = 0;
      for (std::size_t a = 0; a < m; ++a) {
        const std::size_t j = free[step_terms[a]];
        const double before = trial[j];
        trial[j] += step[a];
        if (term_is_share(j)) trial[j] = std::min(trial[j], 0.0);
        largest_step = std::max(largest_step, std::abs(trial[j] - before));
      }
      std::vector<double> trial_pred = p.log_predicted(trial);
      const double trial_loss = mean_loss(trial_pred, p.log_measured, scale, bound);
      if (trial_loss < loss) {
        converged = loss - trial_loss < kRelativeTolerance * loss || largest_step < kStepTolerance;
        v = trial;
        pred = std::move(trial_pred);
        loss = trial_loss;
        lambda = std::max(lambda / 3, 1e-9);
        improved = true;
      } else {
        lambda *= 4;
      }
    }
    if (!improved || converged) break;
  }
  return iteration + 1;
}

// Huber's scale for the rows: 1.345 robust standard deviations (1.4826 x the median absolute
// residual), the tuning with 95% of least squares' efficiency on normal errors.
double robust_scale(Problem& p, const TermVector& v) {
  const std::vector<double> pred = p.log_predicted(v);
  std::vector<double> r(pred.size());
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = std::abs(pred[i] - p.log_measured[i]);
  std::nth_element(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(r.size() / 2), r.end());
  return std::clamp(1.345 * 1.4826 * r[r.size() / 2], kMinScale, kMaxScale);
}

}  // namespace

TermFit fit_terms(const std::vector<FitObservation>& rows, const GpuSpec& hardware, DType dtype,
                  const TermFitRequest& request, const RobustFitSettings& s) {
  Problem p{rows, hardware, dtype, request.held, request.allowed, {}};
  for (const FitObservation& o : rows) p.log_measured.push_back(std::log(o.measured_s));
  TermVector v = to_vector(request.start);
  std::vector<std::size_t> allowed;
  for (std::size_t j = 0; j < kFreeTerms; ++j)
    if (request.allowed[j]) allowed.push_back(j);
  TermFit fit;
  const std::vector<std::size_t> free =
      identifiable(jacobian(p, v, p.log_predicted(v), allowed), allowed, s, fit.held_reasons);
  p.moving.fill(false);
  for (std::size_t j : free) p.moving[j] = true;
  double loss = 0;
  fit.scale = s.huber_scale;
  if (fit.scale <= 0) {
    // The scale follows the rows' own noise: a first fit at a generic 5%, then Huber's tuning
    // of what is left.
    // Unbounded: the scale is of the rows' noise, not of what the bound makes of them.
    fit.iterations = minimize(p, v, free, kInitialScale, LogBound(0), s.max_iterations, loss);
    fit.scale = robust_scale(p, v);
  }
  fit.iterations +=
      minimize(p, v, free, fit.scale, LogBound(s.error_bound), s.max_iterations, loss);
  fit.terms = to_terms(v, request.held, &p.moving);
  fit.fitted = p.moving;
  fit.loss = loss;
  return fit;
}

}  // namespace gs
