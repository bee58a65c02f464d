// `gemmsweep report --format json`: the report's sections with typed values (numbers as numbers,
// flags as booleans, rows with every column as `export --format jsonl` writes them).
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "io/report_data.hpp"
#include "io/row_export.hpp"

namespace gs {
namespace {

// Root attributes come back as text; these are numbers (complete a flag) in the file.
nlohmann::ordered_json typed_run(const std::map<std::string, std::string>& run) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [key, value] : run) {
    if (key == "complete") {
      out[key] = value == "1";
    } else if (key == "rows" || key == "devices" || key == "unwritten_rows" || key == "ranks") {
      char* end = nullptr;
      const long long number = std::strtoll(value.c_str(), &end, 10);
      out[key] = (!value.empty() && *end == '\0') ? nlohmann::ordered_json(number)
                                                  : nlohmann::ordered_json();
    } else {
      out[key] = value;
    }
  }
  return out;
}

// Non-finite numbers (an infinite rel_ci) as null, which is what JSON can say.
nlohmann::ordered_json number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
}

}  // namespace

void write_report_json(const ReportData& d, std::ostream& out) {
  nlohmann::ordered_json j;
  j["run"] = typed_run(d.run);
  j["status_counts"] = d.status_counts;
  j["best"] = nlohmann::ordered_json::array();
  j["worst"] = nlohmann::ordered_json::array();
  for (const ShapeSummary& s : d.best) j["best"].push_back(row_to_json(*s.row));
  for (const ShapeSummary& s : d.worst) j["worst"].push_back(row_to_json(*s.row));
  j["pow2_classes"] = nlohmann::ordered_json::array();
  for (const ClassMean& c : d.classes)
    j["pow2_classes"].push_back(
        {{"op", c.op}, {"class", c.pow2_class}, {"rows", c.rows}, {"mean_tflops", c.mean_tflops}});
  j["convergence"] = {{"ok_rows", d.ok_rows},
                      {"unconverged_rows", d.unconverged_rows},
                      {"groups", nlohmann::ordered_json::array()}};
  for (const UnconvergedGroup& g : d.unconverged)
    j["convergence"]["groups"].push_back({{"op", g.op},
                                          {"class", g.pow2_class},
                                          {"rows", g.rows},
                                          {"unconverged", g.unconverged},
                                          {"worst_rel_ci", number(g.worst_rel_ci)},
                                          {"stop_reasons", g.stop_reasons}});
  j["devices"] = nlohmann::ordered_json::array();
  for (const DeviceComparison& c : d.devices)
    j["devices"].push_back({{"host", c.host},
                            {"rank", c.rank},
                            {"device", c.device},
                            {"shared_shapes", c.shared_shapes},
                            {"relative_speed", c.relative_speed},
                            {"median_tflops", c.median_tflops}});
  j["measuring_devices"] = d.measuring_devices;
  j["device_note"] = d.device_note;
  j["throttled"] = nlohmann::ordered_json::array();
  for (const ResultRow* r : d.throttled) j["throttled"].push_back(row_to_json(*r));
  j["bandwidth"] = nlohmann::ordered_json::array();
  for (const CommBandwidth& b : d.bandwidth)
    j["bandwidth"].push_back({{"op", b.op},
                              {"dtype", b.dtype},
                              {"group_size", b.group_size},
                              {"message_bytes", b.message_bytes},
                              {"rows", b.rows},
                              {"time_s", b.time_s},
                              {"algbw_gbs", b.algbw_gbs},
                              {"busbw_gbs", b.busbw_gbs}});
  j["recommendations"] = nlohmann::ordered_json::array();
  for (const OpRecommendation& r : d.recommendations)
    j["recommendations"].push_back({{"op", r.op},
                                    {"best_class", r.best_class},
                                    {"recommended_class", r.recommended_class},
                                    {"best_tflops", r.best_tflops},
                                    {"head_dims", r.head_dims}});
  j["recommendation_rule"] = kRecommendRule;
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace gs
