#include "fit/gpu_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "fit/fit_refused.hpp"

namespace gs {
namespace {

void check_identifiable(const std::vector<FitObservation>& rows, DType dtype) {
  if (rows.size() < kMinRowsPerDtype)
    throw FitRefused(fmt::format("{} {} row(s); a fit needs at least {} per dtype", rows.size(),
                                 to_string(dtype), kMinRowsPerDtype));
  std::set<int> classes;
  for (const FitObservation& o : rows) classes.insert(o.alignment_class);
  if (classes.size() < 2)
    throw FitRefused(fmt::format(
        "every {} row is of one alignment class (>= {} B); the efficiencies and the alignment "
        "factors enter such rows only as a product; add rows whose leading dimensions have "
        "another largest power of two (e.g. head dimensions 1..128)",
        to_string(dtype),
        ModelTerms{}.alignment[static_cast<std::size_t>(*classes.begin())].min_bytes));
}

// What a dtype's fit may move: all but the held terms, and a base's zero memory overlap stays 0
// (no scale to start it from).
TermFitRequest request_for(DType d, const GpuSpec& base, const GpuFitSettings& settings,
                           std::vector<std::string>* notes) {
  const ModelTerms& base_terms = base.terms_for(d);
  TermFitRequest request{base_terms, base_terms, {}};
  for (std::size_t j = 0; j < kFreeTerms; ++j) request.allowed[j] = !settings.hold[j];
  const auto overlap = static_cast<std::size_t>(Term::memory_overlap);
  if (base_terms.memory_overlap_per_byte <= 0 && request.allowed[overlap]) {
    request.allowed[overlap] = false;
    if (notes)
      notes->push_back(fmt::format("{}: memory_overlap_per_byte held at 0, {}'s value",
                                   to_string(d), base.name));
  }
  return request;
}

// Stream-K is a discrete term of the hardware (docs/model.md, "Stream-K"). Where switching it
// moves enough rows' predictions (as many as a continuous term must move, by kScheduleShare or
// more), each dtype is fitted with and without it and the schedule of the lower total loss is
// kept; rows that cannot tell keep the hardware's.
constexpr double kScheduleShare = 0.02;

// The hardware with the schedule the rows chose, and, where both were fitted, each dtype's fit on
// that schedule (fit_gpu uses it rather than fit the same rows again).
struct FittedSchedule {
  GpuSpec gpu;
  std::map<DType, TermFit> fits;
};

FittedSchedule fitted_schedule(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
                               const GpuSpec& base, const std::set<DType>& dtypes,
                               const GpuFitSettings& settings, std::vector<std::string>& notes) {
  FittedSchedule with{hardware, {}}, without{hardware, {}};
  with.gpu.stream_k = true;
  without.gpu.stream_k = false;
  const auto moved = std::count_if(rows.begin(), rows.end(), [&](const FitObservation& o) {
    return predicted_seconds(o, without.gpu) >
           (1 + kScheduleShare) * predicted_seconds(o, with.gpu);
  });
  if (moved < settings.robust.min_moved_rows) return {hardware, {}};
  // Sum over dtypes of the mean loss times the rows: the loss of all rows together.
  const auto total_loss = [&](FittedSchedule& schedule) {
    double sum = 0;
    for (DType d : dtypes) {
      const std::vector<FitObservation> of = of_dtype(rows, d);
      const TermFit& fit = schedule.fits[d] =
          fit_terms(of, schedule.gpu, d, request_for(d, base, settings, nullptr), settings.robust);
      sum += fit.loss * static_cast<double>(of.size());
    }
    return sum;
  };
  const double loss_with = total_loss(with), loss_without = total_loss(without);
  const bool streamed = loss_with < loss_without;
  notes.push_back(fmt::format(
      "stream_k = {}: fitted both ways, total loss {:.4g} with stream-K, {:.4g} without ({} "
      "row(s) {:g}% or more faster with it)",
      streamed, loss_with, loss_without, moved, kScheduleShare * 100));
  return streamed ? with : without;
}

}  // namespace

GpuFit fit_gpu(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
               const GpuSpec& base, const GpuFitSettings& settings) {
  if (rows.empty()) throw FitRefused("no ok GEMM rows that met the stopping rule");
  std::set<DType> dtypes;
  for (const FitObservation& o : rows) dtypes.insert(o.task.point.dtype);
  GpuFit out;
  for (DType d : dtypes) check_identifiable(of_dtype(rows, d), d);
  const FittedSchedule schedule =
      fitted_schedule(rows, hardware, base, dtypes, settings, out.notes);
  const GpuSpec& gpu = schedule.gpu;
  out.spec = gpu;
  out.spec.terms = base.terms;
  out.spec.dtype_terms.clear();
  for (DType d : dtypes) {
    DtypeFit df;
    df.dtype = d;
    df.rows = of_dtype(rows, d);
    const ModelTerms& base_terms = base.terms_for(d);
    const TermFitRequest request = request_for(d, base, settings, &out.notes);
    const auto fitted = schedule.fits.find(d);
    df.fit = fitted != schedule.fits.end() ? fitted->second
                                           : fit_terms(df.rows, gpu, d, request, settings.robust);
    for (const std::string& why : df.fit.held_reasons)
      out.notes.push_back(fmt::format("{}: held at {}'s value, {}", to_string(d), base.name, why));
    df.kfold = kfold_error(df.rows, gpu, d, df.fit.terms, base_terms, request.allowed,
                           settings.folds, settings.robust);
    out.errors.insert(out.errors.end(), df.kfold.figures.begin(), df.kfold.figures.end());
    if (settings.leave_one_class_out) {
      df.leave_one_class_out = leave_one_class_out_error(df.rows, gpu, d, df.fit.terms, base_terms,
                                                         request.allowed, settings.robust);
      out.errors.insert(out.errors.end(), df.leave_one_class_out.figures.begin(),
                        df.leave_one_class_out.figures.end());
      std::set<std::string> seen;
      for (const std::string& note : df.leave_one_class_out.notes)
        if (seen.insert(note).second) out.notes.push_back("leave-one-class-out, " + note);
    }
    out.spec.dtype_terms[d] = df.fit.terms;
    out.dtypes.push_back(std::move(df));
  }
  return out;
}

}  // namespace gs
