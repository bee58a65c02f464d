#pragma once
#include <string>

namespace gs {

// Readable names of cuBLASLt algorithm configuration values: "128x256", "64x4", "2x1x1".
std::string lt_tile_name(unsigned id);
std::string lt_stages_name(unsigned id);
std::string lt_cluster_shape_name(unsigned id);

}  // namespace gs
