#include "orchestrator/task_outcome.hpp"

#include <type_traits>

#include "io/result_columns.hpp"
#include "orchestrator/byte_buffer.hpp"

namespace gs {
namespace {

// The measured columns of the table (io/result_columns.hpp), in its order, after the status.
struct MeasuredPacker {
  ByteWriter& w;
  const Measurement& m;
  template <class T, class Access>
  void column(const ColumnInfo&, const T&, Access) {
    if constexpr (is_measured<Access>) {
      if constexpr (std::is_same_v<decltype(Access::get(m)), std::string>)
        w.put_string(Access::get(m));
      else
        w.put(Access::get(m));
    }
  }
};

struct MeasuredUnpacker {
  ByteReader& r;
  Measurement& m;
  template <class T, class Access>
  void column(const ColumnInfo&, const T&, Access) {
    if constexpr (is_measured<Access>) {
      using Wire = decltype(Access::get(m));
      if constexpr (std::is_same_v<Wire, std::string>)
        Access::set(m, r.get_string());
      else
        Access::set(m, r.get<Wire>());
    }
  }
};

void put_measurement(ByteWriter& w, const Measurement& m) {
  w.put(m.status);
  MeasuredPacker packer{w, m};
  const ResultRow columns;
  visit_result_columns(columns, packer);
}

Measurement get_measurement(ByteReader& r) {
  Measurement m;
  m.status = r.get<TaskStatus>();
  MeasuredUnpacker unpacker{r, m};
  const ResultRow columns;
  visit_result_columns(columns, unpacker);
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
    if (o.kind == OutcomeKind::threw) w.put_string(o.error);
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
    if (o.kind == OutcomeKind::threw) o.error = r.get_string();
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
