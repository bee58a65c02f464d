#include "advise/advise_spec.hpp"

namespace gs {

std::string_view to_string(MlpKind kind) { return kind == MlpKind::swiglu ? "swiglu" : "gelu"; }

std::string_view to_string(Recompute recompute) {
  switch (recompute) {
    case Recompute::selective:
      return "selective";
    case Recompute::full:
      return "full";
    case Recompute::none:
      break;
  }
  return "none";
}

}  // namespace gs
