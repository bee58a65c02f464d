#pragma once
#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace gs {

// Reads typed values out of a parsed job file and turns every problem into a JobError that
// names the file, the node's line, the dotted key, the bad value and what is allowed.
class TomlContext {
 public:
  explicit TomlContext(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* at, const std::string& key,
                         const std::string& problem) const;
  // The node as it would appear in TOML, shortened to one line.
  std::string show(const toml::node& n) const;
  // Refuses keys outside `allowed` in a table; `prefix` is the table's dotted name ("" for root).
  void check_keys(const toml::table& t, std::string_view prefix,
                  std::initializer_list<std::string_view> allowed) const;

  int get_int(const toml::table& t, std::string_view prefix, std::string_view key, int fallback,
              int min, int max) const;
  double get_double(const toml::table& t, std::string_view prefix, std::string_view key,
                    double fallback, double min_exclusive, double max_inclusive) const;
  bool get_bool(const toml::table& t, std::string_view prefix, std::string_view key,
                bool fallback) const;
  std::string get_choice(const toml::table& t, std::string_view prefix, std::string_view key,
                         const std::string& fallback,
                         std::initializer_list<std::string_view> choices) const;

  static std::string dotted(std::string_view prefix, std::string_view key);

 private:
  std::string file_;
};

}  // namespace gs
