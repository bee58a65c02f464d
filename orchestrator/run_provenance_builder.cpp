#include "orchestrator/run_provenance_builder.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <set>

#include "gemmsweep/config.hpp"
#include "jobs/spec_fingerprint.hpp"
#include "orchestrator/mpi_session.hpp"

namespace gs {
namespace {

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string joined_hosts(const std::vector<DeviceInfo>& devices) {
  std::set<std::string> hosts;
  for (const DeviceInfo& d : devices) hosts.insert(d.host);
  std::string out;
  for (const std::string& h : hosts) out += (out.empty() ? "" : ",") + h;
  return out;
}

}  // namespace

std::string slurm_job_id() {
  const char* array_job = std::getenv("SLURM_ARRAY_JOB_ID");
  const char* array_task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (array_job && array_task) return fmt::format("{}_{}", array_job, array_task);
  const char* job = std::getenv("SLURM_JOB_ID");
  return job ? job : "";
}

RunProvenance make_provenance(const RunSetup& run, const RunOptions& o, const std::string& kind,
                              const std::vector<DeviceInfo>& devices) {
  RunProvenance p;
  p.job_name = run.spec.name;
  p.spec_text = run.spec.text;
  p.spec_hash = spec_fingerprint(run.spec);
  p.backend = kind;
  p.command_line = o.command_line;
  p.gemmsweep_version = GEMMSWEEP_VERSION;
  p.git_revision = GEMMSWEEP_GIT_REVISION;
  p.library_versions = MpiSession::library_version();
  p.created_utc = utc_now_iso();
  p.slurm_job_id = slurm_job_id();
  p.hosts = joined_hosts(devices);
  p.ranks = static_cast<int>(devices.size());
  return p;
}

}  // namespace gs
