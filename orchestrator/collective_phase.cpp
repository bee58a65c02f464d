#include "orchestrator/collective_phase.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>

#include "orchestrator/mpi_check.hpp"
#include "orchestrator/mpi_session.hpp"
#include "orchestrator/progress_meter.hpp"
#include "orchestrator/signal_guard.hpp"
#include "orchestrator/task_outcome.hpp"

namespace gs {
namespace {

std::string pack_assignment(const GangAssignment& a) {
  std::string body(sizeof(std::uint32_t) + a.members.size() * sizeof(int), '\0');
  std::memcpy(body.data(), &a.index, sizeof a.index);
  std::memcpy(body.data() + sizeof a.index, a.members.data(), a.members.size() * sizeof(int));
  return body;
}

GangAssignment unpack_assignment(const std::string& body) {
  GangAssignment a;
  if (body.size() < sizeof a.index || (body.size() - sizeof a.index) % sizeof(int))
    throw std::runtime_error("collective phase: a malformed assignment arrived from rank 0");
  std::memcpy(&a.index, body.data(), sizeof a.index);
  a.members.resize((body.size() - sizeof a.index) / sizeof(int));
  std::memcpy(a.members.data(), body.data() + sizeof a.index, a.members.size() * sizeof(int));
  return a;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Communicators by member set, the same on every rank (each split is collective over world).
class GroupCommunicators {
 public:
  explicit GroupCommunicators(MPI_Comm world) : world_(world) {
    MPI_CHECK(MPI_Comm_rank(world, &rank_));
  }
  ~GroupCommunicators() {
    for (auto& [members, comm] : comms_)
      if (comm != MPI_COMM_NULL) MPI_CHECK_NOTHROW(MPI_Comm_free(&comm));
  }
  GroupCommunicators(const GroupCommunicators&) = delete;
  GroupCommunicators& operator=(const GroupCommunicators&) = delete;

  // MPI_COMM_NULL when this rank is not a member.
  MPI_Comm get(const std::vector<int>& members) {
    auto it = comms_.find(members);
    if (it != comms_.end()) return it->second;
    int position = -1;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i] == rank_) position = static_cast<int>(i);
    MPI_Comm comm = MPI_COMM_NULL;
    MPI_CHECK(MPI_Comm_split(world_, position >= 0 ? 0 : MPI_UNDEFINED, position, &comm));
    comms_.emplace(members, comm);
    return comm;
  }

 private:
  MPI_Comm world_;
  int rank_ = 0;
  std::map<std::vector<int>, MPI_Comm> comms_;
};

TaskOutcome measure_in_group(const CollectivePhaseSetup& setup, const GangAssignment& a,
                             MPI_Comm group) {
  TaskOutcome o;
  o.item = {a.index, 1};
  o.started_unix = unix_now();
  const auto start = std::chrono::steady_clock::now();
  try {
    if (!setup.runner) throw std::runtime_error("this rank has no collective runner");
    o.measurement = setup.runner->measure(setup.tasks->at(a.index), group, setup.timing);
    if (o.measurement.status == TaskStatus::failed) {
      o.kind = OutcomeKind::threw;
      o.error = o.measurement.message;
    }
  } catch (const std::exception& e) {
    o.kind = OutcomeKind::threw;
    o.error = e.what();
  }
  o.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

std::string describe_members(const std::vector<int>& members,
                             const std::vector<DeviceInfo>& devices) {
  std::map<std::string, int> hosts;
  for (int r : members) ++hosts[devices.at(static_cast<std::size_t>(r)).host];
  return fmt::format("group of ranks {} on {} host(s)", fmt::join(members, ","), hosts.size());
}

ResultRow row_of(const CollectivePhaseSetup& setup, const GangAssignment& a, const TaskOutcome& o) {
  const Task& task = setup.tasks->at(a.index);
  const int first = a.members.front();
  const DeviceInfo& device = setup.devices.at(static_cast<std::size_t>(first));
  Measurement m = o.measurement;
  const std::string where = describe_members(a.members, setup.devices);
  if (o.kind == OutcomeKind::threw) {
    m = Measurement{};
    m.status = TaskStatus::failed;
    m.message = fmt::format("{} ({})", o.error, where);
  } else {
    m.message = m.message.empty() ? where : m.message + "; " + where;
  }
  return make_result_row(task, m, first, device.host, device.name, 1, o.started_unix);
}

}  // namespace

CollectivePhaseReport run_collective_phase(MPI_Comm world, const CollectivePhaseSetup& setup) {
  int rank = 0;
  MPI_CHECK(MPI_Comm_rank(world, &rank));
  const bool root = rank == 0;
  CollectivePhaseReport report;
  GroupCommunicators comms(world);
  std::size_t next = 0;
  const bool show = root && setup.show_progress && !setup.plan.assignments.empty();
  ProgressMeter progress(setup.plan.assignments.size(), stderr, setup.terminal);
  while (true) {
    // Every rank says whether it was signalled, so that all leave together.
    int signalled = SignalGuard::received() > 0 || (root && setup.stop_at_once) ? 1 : 0, any = 0;
    MPI_CHECK(MPI_Allreduce(&signalled, &any, 1, MPI_INT, MPI_MAX, world));
    std::string body;
    if (root && !any && next < setup.plan.assignments.size())
      body = pack_assignment(setup.plan.assignments[next++]);
    if (root && any && next < setup.plan.assignments.size()) report.interrupted = true;
    broadcast_string(world, body, 0);
    if (body.empty()) break;
    const GangAssignment a = unpack_assignment(body);
    const MPI_Comm group = comms.get(a.members);
    std::string mine;
    if (group != MPI_COMM_NULL) {
      const TaskOutcome o = measure_in_group(setup, a, group);
      if (rank == a.members.front() || o.kind == OutcomeKind::threw) mine = pack_outcomes({o});
    }
    const std::vector<std::string> outcomes = gather_strings(world, mine, 0);
    if (!root) continue;
    // The first member's outcome, unless another member failed on its own.
    std::optional<TaskOutcome> chosen;
    for (int member : a.members) {
      const std::string& bytes = outcomes.at(static_cast<std::size_t>(member));
      if (bytes.empty()) continue;
      const TaskOutcome o = unpack_outcomes(bytes).at(0);
      if (!chosen || (o.kind == OutcomeKind::threw && chosen->kind != OutcomeKind::threw))
        chosen = o;
    }
    if (!chosen) throw std::runtime_error("collective phase: no member of a group answered");
    const ResultRow row = row_of(setup, a, *chosen);
    if (row.status == "failed") ++report.failed;
    ++report.settled;
    setup.write_rows({row});
    if (show) progress.update(report.settled, report.failed, 0);
  }
  if (show) progress.finish(report.settled, report.failed, 0);
  return report;
}

}  // namespace gs
