// Code-point level helpers shared by the text and html modules: a forgiving UTF-8 reader (a bad
// byte reads as U+FFFD, never an exception or an overrun) and the character classes the modules
// act on (controls that are removed, bidi controls that are reported, East Asian wide letters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::sanitizers::text {

struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;  // bytes consumed; at least 1, so every loop advances
  bool valid = true;       // false: an invalid or truncated sequence, value is U+FFFD
};

inline constexpr char32_t kReplacement = 0xFFFD;

// Reads the code point starting at `pos` (pos < text.size()). Rejects overlong forms,
// surrogates and values above U+10FFFF, like a strict decoder.
CodePoint decode_at(std::string_view text, std::size_t pos);

void append_utf8(std::string& out, char32_t value);

// C0 controls except TAB and LF, DEL, and C1 controls: terminal escape sequences (ESC), NUL
// truncation in downstream C code, form feeds and other invisible bytes have no place in a body.
bool is_removed_control(char32_t value);

// Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): legitimate in Arabic
// or Hebrew text, but also the "Trojan Source" / RLO file-name trick, so they are reported.
bool is_bidi_control(char32_t value);

// Wide and full-width characters (CJK, kana, full-width forms), for CSS's rule that a line break
// between two of them is not a space.
bool is_east_asian_wide(char32_t value);

}  // namespace mugai::sanitizers::text
