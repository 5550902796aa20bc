#include "ole2/word_dde.h"

#include <cctype>

namespace mugai::sanitizers::ole2 {
namespace {

constexpr char kFieldBegin = 0x13;

// True when `text` at `at` (after a field-begin mark) reads as a DDE instruction, stepping by
// `width` bytes per character (1: 8-bit text, 2: UTF-16LE with zero high bytes).
bool dde_at(std::string_view text, std::size_t at, std::size_t width) {
  const auto char_at = [&](std::size_t index) -> int {
    const std::size_t pos = at + index * width;
    if (pos + width > text.size()) return -1;
    if (width == 2 && text[pos + 1] != '\0') return -1;
    return static_cast<unsigned char>(text[pos]);
  };
  std::size_t index = 0;
  while (char_at(index) == ' ' || char_at(index) == '"') ++index;
  for (const char expected : {'D', 'D', 'E'}) {
    const int c = char_at(index++);
    if (c < 0 || std::toupper(c) != expected) return false;
  }
  const int next = char_at(index);
  return next == ' ' || next == '"' || next == 'A' || next == 'a';  // "DDE " or "DDEAUTO"
}

}  // namespace

std::size_t word_dde_fields(std::string_view stream) {
  std::size_t found = 0;
  for (std::size_t at = 0; at < stream.size(); ++at) {
    if (stream[at] != kFieldBegin) continue;
    if (dde_at(stream, at + 1, 1))
      ++found;
    else if (at + 1 < stream.size() && stream[at + 1] == '\0' && dde_at(stream, at + 2, 2))
      ++found;
  }
  return found;
}

}  // namespace mugai::sanitizers::ole2
