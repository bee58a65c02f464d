#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "worker/model/fit_record.hpp"
#include "worker/model/gpu_spec.hpp"

namespace gs {

// A GPU spec file (docs/model.md, "GPU spec files"): the GPU the model predicts and, for a
// fitted one, how it was fitted and how far it can be trusted.
struct GpuSpecDocument {
  GpuSpec gpu;
  std::optional<FitRecord> fit;

  bool operator==(const GpuSpecDocument&) const = default;
};

// Parses a spec's TOML text. `source` names it in errors. Throws JobError naming the source,
// line, key, the bad value and what is allowed.
GpuSpecDocument parse_gpu_spec(std::string_view text, const std::string& source);
// Reads a spec file; JobError when it cannot be opened or parsed.
GpuSpecDocument read_gpu_spec_file(const std::filesystem::path& path);
// The TOML text of a spec; parse_gpu_spec gives back the same document, every number exact.
std::string format_gpu_spec(const GpuSpecDocument& document);

}  // namespace gs
