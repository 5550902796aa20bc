// Small UTF-8 helpers shared by the charset sources (not installed: internal to mugai_charset).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::charset::detail {

inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD

void append_utf8(std::string& out, char32_t code_point);

// Length of the valid UTF-8 sequence starting at bytes[pos], or 0 when it is not valid
// (overlong, surrogate, above U+10FFFF, truncated).
std::size_t valid_sequence_length(std::string_view bytes, std::size_t pos);

// Decodes the valid sequence of `length` bytes at `pos` (see valid_sequence_length).
char32_t decode_sequence(std::string_view bytes, std::size_t pos, std::size_t length);

bool is_ascii(std::string_view bytes);

}  // namespace mugai::charset::detail
