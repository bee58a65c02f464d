#pragma once

namespace gs {

// How `fit` weighs rows and decides what they can identify.
struct RobustFitSettings {
  // Huber's scale on log time: residuals past it count linearly, not squared, so a few bad rows
  // (a throttled GPU, a misread point) cannot pull the terms. 0: from the rows (1.345 robust
  // standard deviations of a first fit's residuals, between 0.5% and 25%).
  double huber_scale = 0;
  // A bound on every fitted row's error (--bound): its predicted time and its predicted TFLOP/s
  // each within this fraction of the measured ones, |log(predicted / measured)| <=
  // log(1 + bound). Past it a row's error
  // is penalized by kBoundWeight x its squared excess over the bound, so the loss is minimized
  // among the terms that keep every row within, where such terms exist. 0: no bound. For data
  // whose acceptance is a bound on each point (readings of a chart, within 25%).
  double error_bound = 0;
  int max_iterations = 100;
  // A term is fitted only if moving it by 1% moves at least min_moved_rows predictions by
  // min_elasticity % or more ...
  double min_elasticity = 0.02;
  int min_moved_rows = 3;
  // ... and it is not (nearly) a combination of the terms before it: the part of its column
  // that the others cannot explain is at least this share of it.
  double min_independent_share = 0.05;
};

}  // namespace gs
