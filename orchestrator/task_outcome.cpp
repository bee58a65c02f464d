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

// Every column of /devices, in the table's order (io/result_columns.hpp).
struct DevicePacker {
  ByteWriter& w;
  template <class T, class Access>
  void column(const ColumnInfo&, const T& value, Access) {
    if constexpr (std::is_same_v<T, std::string>)
      w.put_string(value);
    else
      w.put(value);
  }
};

struct DeviceUnpacker {
  ByteReader& r;
  template <class T, class Access>
  void column(const ColumnInfo&, T& value, Access) {
    if constexpr (std::is_same_v<T, std::string>)
      value = r.get_string();
    else
      value = r.get<T>();
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
  DevicePacker packer{w};
  visit_device_columns(d, packer);
  return w.take();
}

DeviceInfo unpack_device_info(const std::string& bytes) {
  ByteReader r(bytes);
  DeviceInfo d;
  DeviceUnpacker unpacker{r};
  visit_device_columns(d, unpacker);
  return d;
}

}  // namespace gs
