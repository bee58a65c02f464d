#include "advise/advise_from_results.hpp"

#include <fmt/format.h>

#include <set>

#include "advise/advice_dataset.hpp"
#include "advise/advice_report.hpp"
#include "advise/advise_error.hpp"
#include "io/results_file.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

// Typical all-reduce bus bandwidth within one NVLink node (nccl-tests, large messages) and a
// per-call latency: assumptions of the estimate, not measurements of ours (docs/advise.md).
double nvlink_bus_gbs(const std::string& gpu) {
  if (gpu == "V100") return 130;
  if (gpu == "H100" || gpu == "H200") return 360;
  if (gpu == "MI250X") return 100;
  return 230;  // A100
}

// The catalogue GPU a device name refers to ("model:A100", "NVIDIA A100-SXM4-80GB").
const GpuSpec* catalogue_gpu(const std::string& device) {
  for (const GpuSpec& g : known_gpus())
    if (device.find(g.name) != std::string::npos) return &g;
  return nullptr;
}

}  // namespace

void advise_from_results(const AdviseJob& job, const std::string& results,
                         const AdviseOptions& options, std::ostream& out) {
  const ResultsFile file = read_results_file(results);
  const GpuSpec* model_gpu = &options.gpu;
  std::set<std::string> device_names;
  for (const ResultRow& r : file.rows)
    if (r.status == "ok") device_names.insert(r.device);
  std::string device;
  if (options.device) {
    if (!device_names.count(*options.device))
      throw AdviseError(fmt::format("--device: {} has no ok row of device '{}'; it has: {}",
                                    results, *options.device, fmt::join(device_names, ", ")));
    device = *options.device;
  } else if (device_names.size() > 1) {
    throw AdviseError(
        fmt::format("{}: measured on {} device types ({}); rank from one: add --device NAME",
                    results, device_names.size(), fmt::join(device_names, ", ")));
  } else if (!device_names.empty()) {
    device = *device_names.begin();
  }
  // One device type may still hold rows of two BLAS versions (merged runs): they are not one
  // measurement either.
  std::set<std::string> blas;
  for (const DeviceInfo& d : file.devices)
    if (d.name == device && !d.blas_version.empty()) blas.insert(d.blas_version);
  if (options.blas_version && !blas.count(*options.blas_version))
    throw AdviseError(
        fmt::format("--blas-version: {} has no device '{}' with BLAS '{}'; it has: {}", results,
                    device, *options.blas_version, fmt::join(blas, ", ")));
  if (!options.blas_version && blas.size() > 1)
    throw AdviseError(
        fmt::format("{}: device '{}' was measured with {} BLAS versions ({}); rank from one: add "
                    "--blas-version VERSION",
                    results, device, blas.size(), fmt::join(blas, ", ")));
  std::set<std::pair<std::string, std::int32_t>> chosen_ranks;  // (host, rank) of that version
  for (const DeviceInfo& d : file.devices)
    if (d.name == device && (!options.blas_version || d.blas_version == *options.blas_version))
      chosen_ranks.insert({d.host, d.rank});
  std::vector<ResultRow> rows;
  for (const ResultRow& r : file.rows)
    if (r.device == device && (!options.blas_version || chosen_ranks.count({r.host, r.rank})))
      rows.push_back(r);
  const ProductTimes times = ProductTimes::from_rows(rows);
  const auto backend_it = file.attributes.find("backend");
  const std::string backend = backend_it == file.attributes.end() ? "?" : backend_it->second;
  const GpuSpec* device_gpu = catalogue_gpu(device);
  const GpuSpec& comm_gpu = device_gpu ? *device_gpu : *model_gpu;

  TimeSource source;
  source.times = &times;
  if (options.predict_missing)
    source.predict = [model_gpu](const Task& t) { return predict_seconds(t, *model_gpu); };
  source.allreduce_bus_gbs = nvlink_bus_gbs(comm_gpu.name);
  source.allreduce_latency_s = 2e-5;
  double device_memory = 0;
  for (const DeviceInfo& d : file.devices)
    if (d.name == device) device_memory = static_cast<double>(d.memory_bytes);
  if (backend == "cpu") device_memory = model_gpu->memory_gib * double(1ull << 30);
  const auto facts = [&](DType dtype) {
    DeviceFacts f;
    f.name = device;
    f.memory_bytes = device_memory;
    if (backend != "cpu" && device_gpu) f.peak_tflops = peak_tflops_for(dtype, *device_gpu);
    return f;
  };
  // Which of the job's distinct GEMMs the file lacks, named in the error and the notes.
  std::size_t missing = 0;
  std::string example;
  for (const DistinctProduct& p : job.plan.products)
    if (!times.gemm(ProductKey{p.shape, p.point.dtype}) && missing++ == 0)
      example = fmt::format("{} {}x{}x{}x{} {}", to_string(p.op), p.shape.batch, p.shape.m,
                            p.shape.n, p.shape.k, to_string(p.point.dtype));
  const Advice advice = rank_candidates(job.plan, job.advise, source, facts);
  if (advice.order.empty())
    throw AdviseError(fmt::format(
        "{}: no candidate of {} can be ranked: the file lacks {} of its {} distinct GEMMs (e.g. "
        "{}){}",
        results, job.spec.path, missing, job.plan.products.size(), example,
        options.predict_missing ? "" : "; add --predict-missing to fill them from the model"));
  AdviceContext ctx{
      results, backend, device.empty() ? "no device" : device, options.predict_missing,
      missing, example};
  std::vector<AdviceRecord> records;
  records.reserve(advice.rows.size());
  for (const CandidateAdvice& a : advice.rows) records.push_back(make_advice_record(a));
  write_advice(results, records, advice_notes(job, advice, ctx));
  out << render_advice(job, advice, ctx);
}

}  // namespace gs
