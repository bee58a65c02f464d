#pragma once
#include <cstddef>
#include <string_view>

namespace gs {

// UTF-8 continuation bytes are 10xxxxxx; every other byte starts a character.
inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Characters (not bytes) of UTF-8 text.
inline std::size_t utf8_length(std::string_view text) {
  std::size_t characters = 0;
  for (const char c : text) characters += !is_utf8_continuation(c);
  return characters;
}

// How many leading bytes of `text` to keep so that at most `max_bytes` remain and no character
// is cut in two (text cut short stays valid UTF-8).
inline std::size_t utf8_prefix_bytes(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t keep = max_bytes;
  while (keep > 0 && is_utf8_continuation(text[keep])) --keep;
  return keep;
}

}  // namespace gs
