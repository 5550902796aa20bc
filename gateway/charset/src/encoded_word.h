// RFC 2047 encoded-word recognition and decoding to raw bytes (internal to mugai_charset).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::charset::detail {

struct EncodedWord {
  std::size_t end = 0;  // index just past "?="
  std::string charset;  // as written, without an RFC 2231 "*language" suffix
  std::string bytes;    // B/Q-decoded, still in `charset`
};

// Parses the encoded word that starts at text[pos] ("=?"). nullopt when it is malformed (no
// charset, unknown encoding, bad base64, no "?="), so that the caller keeps it as literal text.
// Scans at most to the word's closing "?", so repeated attempts over a value stay linear.
std::optional<EncodedWord> parse_encoded_word(std::string_view text, std::size_t pos);

// Replaces C0 controls other than TAB, and DEL, with U+FFFD: a decoded header value must not
// carry CR/LF (header injection on rebuild) or NUL (truncation in C consumers). Returns the
// number replaced.
std::size_t replace_controls(std::string& utf8);

}  // namespace mugai::charset::detail
