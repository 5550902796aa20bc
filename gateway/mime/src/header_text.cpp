#include "header_text.h"

#include <openssl/evp.h>

#include <algorithm>

#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"

namespace mugai::mime::detail {
namespace {

constexpr std::size_t kFoldAt = 78;          // RFC 5322 "SHOULD"
constexpr std::size_t kMaxLineOctets = 998;  // RFC 5322 "MUST"

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= 0x20 && byte < 0x7f) || byte == '\t';
  });
}

// Inserts a fold ("\n" before an existing blank) wherever the line would pass 78 octets and a
// blank allows it; words longer than a line stay whole (is_writable_field judges the result).
std::string fold_ascii(std::string_view name, std::string_view value) {
  std::string out = " ";
  std::size_t line = name.size() + 2;  // "Name: "
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t blank = value.find_first_of(" \t", i + 1);
    const std::size_t word_end = blank == std::string_view::npos ? value.size() : blank;
    const std::string_view word = value.substr(i, word_end - i);
    if (i > 0 && line + word.size() > kFoldAt && line > 1) {
      out += "\n";
      line = 0;
    }
    out += word;
    line += word.size();
    i = word_end;
  }
  return out + "\n";
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
  return out;
}

}  // namespace

std::string clean_header_utf8(std::string_view value) {
  std::string text =
      charset::is_valid_utf8(value) ? std::string(value) : charset::to_utf8(value, "utf-8").utf8;
  // Controls become blanks, runs of blanks one space (so no folded line is blank only).
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool is_valid_field_name(std::string_view name) {
  return !name.empty() && name.size() <= 76 && std::all_of(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != ':';
  });
}

bool is_writable_field(std::string_view name, std::string_view raw_value) {
  std::size_t line = name.size() + 1;
  for (std::size_t i = 0; i < raw_value.size(); ++i) {
    const char c = raw_value[i];
    if (c == '\n') {
      // A line break must be a fold (followed by a blank) or the final one.
      if (i + 1 < raw_value.size() && raw_value[i + 1] != ' ' && raw_value[i + 1] != '\t') return false;
      line = 0;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (!((byte >= 0x20 && byte < 0x7f) || byte == '\t')) return false;
    if (++line > kMaxLineOctets) return false;
  }
  return raw_value.ends_with('\n');
}

std::string encoded_words_raw_value(std::string_view utf8) {
  // 45 bytes of UTF-8 -> 60 base64 characters -> a 72-character word, ending on a whole character.
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = std::min(utf8.size(), i + 45);
    while (end < utf8.size() && end > i && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
    if (end == i) end = std::min(utf8.size(), i + 45);
    out += (out.empty() ? " " : "\n ");
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out + "\n";
}

std::string unstructured_raw_value(std::string_view name, std::string_view utf8) {
  std::string raw;
  if (is_printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos) {
    raw = fold_ascii(name, utf8);
  } else {
    std::string encoded = charset::encode_header_text(utf8, name);
    raw = " ";
    for (std::size_t i = 0; i < encoded.size(); ++i)
      if (!(encoded[i] == '\r' && i + 1 < encoded.size() && encoded[i + 1] == '\n'))
        raw.push_back(encoded[i]);
    raw += "\n";
  }
  return is_writable_field(name, raw) ? raw : encoded_words_raw_value(utf8);
}

}  // namespace mugai::mime::detail
