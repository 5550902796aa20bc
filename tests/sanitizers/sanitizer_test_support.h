// Helpers shared by the text and html module tests: Parts from byte strings, a Context with a
// generous or an already-passed deadline, hex fixtures (so Shift_JIS bytes need no escapes that
// C++ would misread), finding look-ups.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::test {

inline std::string from_hex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    if (value < 0) continue;
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<char>(high * 16 + value));
      high = -1;
    }
  }
  return out;
}

struct TestContext {
  Limits limits;
  Context context;
  explicit TestContext(std::chrono::milliseconds budget = std::chrono::seconds(60))
      : context{limits, std::chrono::steady_clock::now() + budget} {}
  TestContext(const Limits& custom, std::chrono::milliseconds budget = std::chrono::seconds(60))
      : limits(custom), context{limits, std::chrono::steady_clock::now() + budget} {}
};

inline Part make_part(std::string_view bytes, std::string charset, std::string declared_type, TypeClass cls) {
  Part part;
  part.bytes = bytes;
  part.declared_charset = std::move(charset);
  part.declared_type = std::move(declared_type);
  part.detected.cls = cls;
  return part;
}

inline std::optional<Finding> finding(const Outcome& outcome, std::string_view code) {
  for (const Finding& f : outcome.findings)
    if (f.code == code) return f;
  return std::nullopt;
}

inline bool has_finding(const Outcome& outcome, std::string_view code) { return finding(outcome, code).has_value(); }

// Deterministic pseudo-random bytes (xorshift), so a failing case can be replayed.
inline std::string random_bytes(std::uint64_t& state, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    c = static_cast<char>(state & 0xFF);
  }
  return out;
}

}  // namespace mugai::test
