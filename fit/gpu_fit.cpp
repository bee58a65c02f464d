#include "fit/gpu_fit.hpp"

#include <fmt/format.h>

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

}  // namespace

GpuFit fit_gpu(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
               const GpuSpec& base, const GpuFitSettings& settings) {
  if (rows.empty()) throw FitRefused("no ok GEMM rows that met the stopping rule");
  std::set<DType> dtypes;
  for (const FitObservation& o : rows) dtypes.insert(o.task.point.dtype);
  GpuFit out;
  out.spec = hardware;
  out.spec.terms = base.terms;
  out.spec.dtype_terms.clear();
  for (DType d : dtypes) check_identifiable(of_dtype(rows, d), d);
  for (DType d : dtypes) {
    DtypeFit df;
    df.dtype = d;
    df.rows = of_dtype(rows, d);
    const ModelTerms& base_terms = base.terms_for(d);
    TermFitRequest request{base_terms, base_terms, {}};
    for (std::size_t j = 0; j < kFreeTerms; ++j) request.allowed[j] = !settings.hold[j];
    // A base without memory overlap (0) has no scale to start the term from: it stays 0.
    const auto overlap = static_cast<std::size_t>(Term::memory_overlap);
    if (base_terms.memory_overlap_per_byte <= 0 && request.allowed[overlap]) {
      request.allowed[overlap] = false;
      out.notes.push_back(fmt::format("{}: memory_overlap_per_byte held at 0, {}'s value",
                                      to_string(d), base.name));
    }
    df.fit = fit_terms(df.rows, hardware, d, request, settings.robust);
    for (const std::string& why : df.fit.held_reasons)
      out.notes.push_back(fmt::format("{}: held at {}'s value, {}", to_string(d), base.name, why));
    df.kfold = kfold_error(df.rows, hardware, d, df.fit.terms, base_terms, request.allowed,
                           settings.folds, settings.robust);
    out.errors.insert(out.errors.end(), df.kfold.figures.begin(), df.kfold.figures.end());
    if (settings.leave_one_class_out) {
      df.leave_one_class_out = leave_one_class_out_error(
          df.rows, hardware, d, df.fit.terms, base_terms, request.allowed, settings.robust);
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
