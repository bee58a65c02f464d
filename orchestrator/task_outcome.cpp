#include "orchestrator/task_outcome.hpp"

#include "orchestrator/byte_buffer.hpp"

namespace gs {
namespace {

void put_readings(ByteWriter& w, const DeviceReadings& r) {
  w.put(r.sm_clock_mhz);
  w.put(r.mem_clock_mhz);
  w.put(r.temperature_c);
  w.put(r.power_w);
  w.put(r.throttle_reasons);
}

DeviceReadings get_readings(ByteReader& r) {
  DeviceReadings d;
  d.sm_clock_mhz = r.get<double>();
  d.mem_clock_mhz = r.get<double>();
  d.temperature_c = r.get<double>();
  d.power_w = r.get<double>();
  d.throttle_reasons = r.get<std::uint64_t>();
  return d;
}

void put_measurement(ByteWriter& w, const Measurement& m) {
  w.put(m.status);
  w.put_string(m.message);
  w.put(m.samples);
  w.put(m.time_s);
  w.put(m.time_min_s);
  w.put(m.time_mean_s);
  w.put(m.time_std_s);
  w.put(m.rel_ci);
  w.put(m.converged);
  w.put(m.launches_per_sample);
  w.put_string(m.compute_dtype);
  w.put_string(m.algo);
  put_readings(w, m.before);
  put_readings(w, m.after);
}

Measurement get_measurement(ByteReader& r) {
  Measurement m;
  m.status = r.get<TaskStatus>();
  m.message = r.get_string();
  m.samples = r.get<int>();
  m.time_s = r.get<double>();
  m.time_min_s = r.get<double>();
  m.time_mean_s = r.get<double>();
  m.time_std_s = r.get<double>();
  m.rel_ci = r.get<double>();
  m.converged = r.get<bool>();
  m.launches_per_sample = r.get<int>();
  m.compute_dtype = r.get_string();
  m.algo = r.get_string();
  m.before = get_readings(r);
  m.after = get_readings(r);
  return m;
}

}  // namespace

std::string pack_work(const std::vector<WorkItem>& items) {
  ByteWriter w;
  w.bytes().reserve(4 + items.size() * sizeof(WorkItem));
  w.put(static_cast<std::uint32_t>(items.size()));
  for (const WorkItem& i : items) {
    w.put(i.index);
    w.put(i.attempt);
  }
  return w.take();
}

std::vector<WorkItem> unpack_work(const std::string& bytes) {
  ByteReader r(bytes);
  std::vector<WorkItem> items(r.get<std::uint32_t>());
  for (WorkItem& i : items) {
    i.index = r.get<std::uint32_t>();
    i.attempt = r.get<std::int32_t>();
  }
  return items;
}

std::string pack_outcomes(const std::vector<TaskOutcome>& outcomes) {
  ByteWriter w;
  w.put(static_cast<std::uint32_t>(outcomes.size()));
  for (const TaskOutcome& o : outcomes) {
    w.put(o.item.index);
    w.put(o.item.attempt);
    w.put(o.kind);
    w.put(o.started_unix);
    w.put(o.elapsed_s);
    if (o.kind == OutcomeKind::measured) put_measurement(w, o.measurement);
    if (o.kind == OutcomeKind::threw || o.kind == OutcomeKind::device_lost) w.put_string(o.error);
  }
  return w.take();
}

std::vector<TaskOutcome> unpack_outcomes(const std::string& bytes) {
  ByteReader r(bytes);
  std::vector<TaskOutcome> outcomes(r.get<std::uint32_t>());
  for (TaskOutcome& o : outcomes) {
    o.item.index = r.get<std::uint32_t>();
    o.item.attempt = r.get<std::int32_t>();
    o.kind = r.get<OutcomeKind>();
    o.started_unix = r.get<double>();
    o.elapsed_s = r.get<double>();
    if (o.kind == OutcomeKind::measured) o.measurement = get_measurement(r);
    if (o.kind == OutcomeKind::threw || o.kind == OutcomeKind::device_lost)
      o.error = r.get_string();
  }
  return outcomes;
}

std::string pack_device_info(const DeviceInfo& d) {
  ByteWriter w;
  for (const std::string* s : {&d.backend, &d.name, &d.uuid, &d.host, &d.compute_capability,
                               &d.driver_version, &d.runtime_version, &d.blas_version})
    w.put_string(*s);
  w.put(d.rank);
  w.put(d.sm_count);
  w.put(d.memory_bytes);
  w.put(d.sm_clock_max_mhz);
  w.put(d.mem_clock_max_mhz);
  w.put(d.threads);
  return w.take();
}

DeviceInfo unpack_device_info(const std::string& bytes) {
  ByteReader r(bytes);
  DeviceInfo d;
  for (std::string* s : {&d.backend, &d.name, &d.uuid, &d.host, &d.compute_capability,
                         &d.driver_version, &d.runtime_version, &d.blas_version})
    *s = r.get_string();
  d.rank = r.get<int>();
  d.sm_count = r.get<int>();
  d.memory_bytes = r.get<std::uint64_t>();
  d.sm_clock_max_mhz = r.get<double>();
  d.mem_clock_max_mhz = r.get<double>();
  d.threads = r.get<int>();
  return d;
}

}  // namespace gs
