#include "attachment_params.h"

#include <algorithm>

#include "header_text.h"

namespace mugai::mime::detail {
namespace {

constexpr std::size_t kFoldAt = 78;
constexpr std::size_t kShortName = 60;

// RFC 2231 attribute-char: a token character other than '*', '\'' and '%'.
bool is_attribute_char(unsigned char c) {
  constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=*'%";
  return c > 0x20 && c < 0x7f && tspecials.find(static_cast<char>(c)) == std::string_view::npos;
}

bool is_short_printable_ascii(std::string_view text) {
  return !text.empty() && text.size() <= kShortName && std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f;
  }) && text.find("=?") == std::string_view::npos;
}

std::string token_or_quoted(std::string_view text) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return is_attribute_char(static_cast<unsigned char>(c)); }))
    return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::string percent_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_attribute_char(byte)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

// RFC 2231 sections of `name`, each holding whole characters.
std::string rfc2231_parameter(std::string_view name, std::string_view utf8) {
  const std::string whole = "UTF-8''" + percent_encode(utf8);
  if (1 + name.size() + 2 + whole.size() <= kFoldAt) return "\n\t" + std::string(name) + "*=" + whole;
  std::string out;
  std::string section = "UTF-8''";
  int index = 0;
  const auto flush = [&] {
    out += (index == 0 ? "\n\t" : ";\n\t") + std::string(name) + "*" + std::to_string(index) + "*=" + section;
    section.clear();
    ++index;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t length = std::min(utf8_length(static_cast<unsigned char>(utf8[i])), utf8.size() - i);
    const std::string encoded = percent_encode(utf8.substr(i, length));
    const std::size_t prefix = 1 + name.size() + 2 + std::to_string(index).size() + 2;  // \tname*N*=
    if (!section.empty() && section != "UTF-8''" && prefix + section.size() + encoded.size() + 1 > kFoldAt)
      flush();
    section += encoded;
    i += length;
  }
  if (!section.empty()) flush();
  return out;
}

std::string rfc2047_quoted(std::string_view utf8) {
  std::string words = encoded_words_raw_value(utf8);  // " w1\n w2\n"
  std::string out = "\"";
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i] == '\n') {
      if (i + 1 < words.size()) out += "\n\t", ++i;  // fold between words, inside the quotes
      continue;
    }
    out.push_back(words[i]);
  }
  return out + "\"";
}

}  // namespace

std::string attachment_content_type(std::string_view type, std::string_view charset,
                                    std::string_view filename, bool rfc2047_name) {
  std::string raw = " " + std::string(type);
  if (!charset.empty()) raw += "; charset=" + token_or_quoted(charset);
  if (filename.empty()) return raw + "\n";
  if (is_short_printable_ascii(filename)) return raw + "; name=" + token_or_quoted(filename) + "\n";
  if (rfc2047_name) return raw + ";\n\tname=" + rfc2047_quoted(filename) + "\n";
  return raw + ";" + rfc2231_parameter("name", filename) + "\n";
}

std::string attachment_disposition(std::string_view filename) {
  std::string raw = " attachment";
  if (!filename.empty())
    raw += is_short_printable_ascii(filename) ? "; filename=" + token_or_quoted(filename)
                                              : ";" + rfc2231_parameter("filename", filename);
  return raw + "\n";
}

}  // namespace mugai::mime::detail
