#include "worker/cpu/host_info.hpp"

#include <cblas.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace gs {
namespace {

std::string read_first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

std::uint64_t meminfo_field(const std::filesystem::path& meminfo, std::string_view field) {
  std::ifstream in(meminfo);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) != 0 || line.size() <= field.size() || line[field.size()] != ':')
      continue;
    std::istringstream fields(line.substr(field.size() + 1));
    std::uint64_t kib = 0;
    fields >> kib;
    return kib * 1024;
  }
  return 0;
}

}  // namespace

std::optional<std::uint64_t> parse_cache_size(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit.empty()) return value;
  if (unit == "K" || unit == "k") return value << 10;
  if (unit == "M" || unit == "m") return value << 20;
  if (unit == "G" || unit == "g") return value << 30;
  return std::nullopt;
}

std::uint64_t last_level_cache_bytes(const std::filesystem::path& cache_dir) {
  std::uint64_t largest = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cache_dir, ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) continue;
    if (read_first_line(entry.path() / "type") == "Instruction") continue;
    if (auto size = parse_cache_size(read_first_line(entry.path() / "size")))
      largest = std::max(largest, *size);
  }
  return largest ? largest : kFallbackLastLevelCacheBytes;
}

std::string cpu_model_name(const std::filesystem::path& cpuinfo) {
  std::ifstream in(cpuinfo);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(colon + 1);
    name.erase(0, name.find_first_not_of(" \t"));
    if (!name.empty()) return name;
  }
  return "unknown CPU";
}

std::uint64_t available_memory_bytes(const std::filesystem::path& meminfo) {
  return meminfo_field(meminfo, "MemAvailable");
}

std::uint64_t total_memory_bytes(const std::filesystem::path& meminfo) {
  return meminfo_field(meminfo, "MemTotal");
}

int cores_available_to_process() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return cores_online();
}

int cores_online() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

int cpu_threads_per_rank(int ranks_on_node) {
  const int share = cores_online() / std::max(1, ranks_on_node);
  return std::max(1, std::min(share, cores_available_to_process()));
}

std::string openblas_version() {
  const char* config = openblas_get_config();
  std::string text = config ? config : "OpenBLAS (unknown version)";
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string openblas_core() {
  const char* core = openblas_get_corename();
  return core ? core : "unknown";
}

}  // namespace gs
