#include "worker/model/public_measurements.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gs {

std::vector<PublicMeasurement> read_public_measurements_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open", path.string()));
  std::vector<PublicMeasurement> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#' || line.rfind("gpu,", 0) == 0) continue;
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string field; std::getline(fields, field, ',');) f.push_back(field);
    const auto bad = [&](const std::string& why) {
      return std::runtime_error(fmt::format("{}:{}: {}: {}", path.string(), number, why, line));
    };
    if (f.size() != 8) throw bad("expected 8 fields gpu,m,n,k,dtype,tflops,software,source");
    PublicMeasurement r;
    r.gpu = f[0];
    const auto dtype = parse_dtype(f[4]);
    if (!dtype) throw bad("unknown dtype " + f[4]);
    r.dtype = *dtype;
    try {
      r.shape = GemmShape{1, std::stoll(f[1]), std::stoll(f[3]), std::stoll(f[2])};
      r.tflops = std::stod(f[5]);
    } catch (const std::exception&) {
      throw bad("m, n, k and tflops must be numbers");
    }
    r.software = f[6];
    r.source = f[7];
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace gs
