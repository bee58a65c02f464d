#include "fit/fit_observation.hpp"

#include "worker/model/perf_model.hpp"
#include "worker/model/seed_chart.hpp"

namespace gs {

double predicted_seconds(const FitObservation& o, const GpuSpec& gpu) {
  if (o.chart_class > 0)
    return o.task.flops() / (predicted_seed_chart_tflops(o.chart_class, o.hidden_size, gpu) * 1e12);
  return predict_seconds(o.task, gpu);
}

int alignment_class_of(const GemmShape& shape, DType dtype, const ModelTerms& terms) {
  GpuSpec probe;  // only the alignment rule is asked for: any hardware will do
  probe.name = "probe";
  probe.peak_tflops = probe.fp32_tflops = probe.fp64_tflops = 1;
  probe.sm_count = 1;
  probe.bandwidth_tbs = 1;
  probe.terms = terms;
  const int bytes = explain_prediction(shape, dtype, probe).alignment_bytes;
  for (std::size_t i = 0; i < terms.alignment.size(); ++i)
    if (bytes >= terms.alignment[i].min_bytes) return static_cast<int>(i);
  return static_cast<int>(terms.alignment.size()) - 1;
}

std::vector<FitObservation> of_dtype(const std::vector<FitObservation>& all, DType dtype) {
  std::vector<FitObservation> out;
  for (const FitObservation& o : all)
    if (o.task.point.dtype == dtype) out.push_back(o);
  return out;
}

}  // namespace gs
