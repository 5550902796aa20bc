// RFC 2047 §2-§4 encoded words: =?charset[*lang]?B|Q?text?=, lenient where MUAs are lenient
// (missing base64 padding, words glued to text, lower-case b/q) and strict where leniency would
// let a malformed word swallow the text after it (no spaces or '?' inside the encoded text).
#include "encoded_word.h"

#include "base64.h"
#include "utf8.h"

namespace mugai::charset::detail {
namespace {

// Charset names are short; a longer "charset" is text that happens to start with "=?".
constexpr std::size_t kMaxCharsetLength = 80;

bool is_charset_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7F) return false;
  static constexpr std::string_view kSpecials = "()<>@,;:\"/[]?=";  // '.' tolerated: "ansi_x3.4-1968"
  return kSpecials.find(c) == std::string_view::npos;
}

bool is_encoded_text_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && c != '?';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 2047 §4.2: '_' is a space, =XX a byte. A '=' without two hex digits stays literal.
std::string q_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::optional<EncodedWord> parse_encoded_word(std::string_view text, std::size_t pos) {
  if (text.substr(pos, 2) != "=?") return std::nullopt;
  const std::size_t charset_begin = pos + 2;
  std::size_t i = charset_begin;
  while (i < text.size() && i - charset_begin <= kMaxCharsetLength && is_charset_char(text[i])) ++i;
  if (i == charset_begin || i - charset_begin > kMaxCharsetLength) return std::nullopt;
  if (i + 3 > text.size() || text[i] != '?' || text[i + 2] != '?') return std::nullopt;
  const char encoding = text[i + 1];
  const std::size_t text_begin = i + 3;
  std::size_t j = text_begin;
  while (j < text.size() && is_encoded_text_char(text[j])) ++j;
  if (j + 1 >= text.size() || text[j] != '?' || text[j + 1] != '=') return std::nullopt;

  std::string_view charset = text.substr(charset_begin, i - charset_begin);
  if (const auto star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);
  if (charset.empty()) return std::nullopt;

  const std::string_view encoded = text.substr(text_begin, j - text_begin);
  EncodedWord word;
  word.end = j + 2;
  word.charset = std::string(charset);
  if (encoding == 'B' || encoding == 'b') {
    auto bytes = base64_decode(encoded);
    if (!bytes) return std::nullopt;
    word.bytes = std::move(*bytes);
  } else if (encoding == 'Q' || encoding == 'q') {
    word.bytes = q_decode(encoded);
  } else {
    return std::nullopt;
  }
  return word;
}

std::size_t replace_controls(std::string& utf8) {
  std::size_t replaced = 0;
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto u = static_cast<unsigned char>(utf8[i]);
    if ((u < 0x20 && u != '\t') || u == 0x7F) {
      if (replaced == 0) out.assign(utf8, 0, i);
      out += kReplacementUtf8;
      ++replaced;
    } else if (replaced != 0) {
      out.push_back(utf8[i]);
    }
  }
  if (replaced != 0) utf8 = std::move(out);
  return replaced;
}

}  // namespace mugai::charset::detail
