#include "jobs/toml_context.hpp"

#include <fmt/format.h>

#include <sstream>

#include "jobs/job_error.hpp"
#include "jobs/utf8_text.hpp"

namespace gs {

std::string TomlContext::dotted(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

void TomlContext::fail(const toml::node* at, const std::string& key,
                       const std::string& problem) const {
  const long line = at ? static_cast<long>(at->source().begin.line) : 0;
  throw JobError(file_, line, key, problem);
}

std::string TomlContext::show(const toml::node& n) const {
  std::string s;
  if (const auto* str = n.as_string()) {
    s = fmt::format("\"{}\"", str->get());  // TOML basic string, as users write it
  } else {
    std::ostringstream os;
    n.visit([&](const auto& v) { os << v; });
    s = os.str();
  }
  // One line of valid UTF-8 whatever the file holds: control characters become spaces, and a
  // long value is cut at a character boundary, never inside one.
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (s.size() > 60) s = s.substr(0, utf8_prefix_bytes(s, 57)) + "...";
  return s;
}

void TomlContext::check_keys(const toml::table& t, std::string_view prefix,
                             std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k.str() == a;
    if (ok) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    const long line = static_cast<long>(k.source().begin.line);
    throw JobError(file_, line > 0 ? line : static_cast<long>(v.source().begin.line),
                   dotted(prefix, k.str()),
                   fmt::format("unknown key; allowed {}: {}",
                               prefix.empty() ? std::string("at the top level")
                                              : "in [" + std::string(prefix) + "]",
                               list));
  }
}

int TomlContext::get_int(const toml::table& t, std::string_view prefix, std::string_view key,
                         int fallback, int min, int max) const {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  const auto v = n->as_integer();
  if (!v || v->get() < min || v->get() > max)
    fail(n, dotted(prefix, key),
         fmt::format("{} is not allowed; allowed: an integer from {} to {}", show(*n), min, max));
  return static_cast<int>(v->get());
}

double TomlContext::get_double(const toml::table& t, std::string_view prefix, std::string_view key,
                               double fallback, double min_exclusive, double max_inclusive) const {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  double x = 0;
  if (const auto* f = n->as_floating_point())
    x = f->get();
  else if (const auto* i = n->as_integer())
    x = static_cast<double>(i->get());
  else
    fail(n, dotted(prefix, key),
         fmt::format("{} is not a number; allowed: a number above {} and at most {}", show(*n),
                     min_exclusive, max_inclusive));
  if (!(x > min_exclusive && x <= max_inclusive))
    fail(n, dotted(prefix, key),
         fmt::format("{} is not allowed; allowed: a number above {} and at most {}", show(*n),
                     min_exclusive, max_inclusive));
  return x;
}

bool TomlContext::get_bool(const toml::table& t, std::string_view prefix, std::string_view key,
                           bool fallback) const {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  const auto* b = n->as_boolean();
  if (!b)
    fail(n, dotted(prefix, key),
         fmt::format("{} is not allowed; allowed: true or false", show(*n)));
  return b->get();
}

std::string TomlContext::get_choice(const toml::table& t, std::string_view prefix,
                                    std::string_view key, const std::string& fallback,
                                    std::initializer_list<std::string_view> choices) const {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  std::string list;
  for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  const auto v = n->value<std::string>();
  if (v)
    for (auto c : choices)
      if (*v == c) return *v;
  fail(n, dotted(prefix, key), fmt::format("{} is not allowed; allowed: {}", show(*n), list));
}

}  // namespace gs
