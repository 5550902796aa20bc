#include "text/url_defang.h"

#include <string_view>

#include "text/utf8_scan.h"

namespace mugai::sanitizers::text {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Length of "http://" or "https://" at `pos` (any case), 0 if none.
std::size_t scheme_length_at(std::string_view text, std::size_t pos) {
  constexpr std::string_view kHttp = "http";
  if (pos + 7 > text.size()) return 0;
  for (std::size_t i = 0; i < kHttp.size(); ++i)
    if (lower(text[pos + i]) != kHttp[i]) return 0;
  std::size_t after = pos + 4;
  if (lower(text[after]) == 's') ++after;
  if (text.substr(after, 3) != "://") return 0;
  return after + 3 - pos;
}

bool is_host_ascii(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~%:@!$&*+,;=").find(c) != std::string_view::npos;
}

// Non-ASCII letters continue an internationalised host name; spaces and CJK or general
// punctuation (、。「」 …) end it, so Japanese text right after a URL is left alone.
bool is_host_non_ascii(char32_t cp) {
  if (cp == 0xA0 || cp == 0xFEFF) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF65 && !(cp >= 0xFF10 && cp <= 0xFF19) && !(cp >= 0xFF21 && cp <= 0xFF3A) &&
      !(cp >= 0xFF41 && cp <= 0xFF5A))
    return false;
  return true;
}

}  // namespace

std::size_t defang_urls(std::string& text) {
  std::size_t count = 0;
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t scheme = scheme_length_at(text, pos);
    if (scheme == 0) {
      out.push_back(text[pos++]);
      continue;
    }
    ++count;
    out.push_back(text[pos]);                              // h / H
    out.push_back(text[pos + 1] == 'T' ? 'X' : 'x');       // t -> x
    out.push_back(text[pos + 2] == 'T' ? 'X' : 'x');       // t -> x
    out.append(text, pos + 3, scheme - 3);                 // p[s]://
    pos += scheme;
    while (pos < text.size()) {
      if (scheme_length_at(text, pos) > 0) break;  // "http://aHTTP://b": the second URL is defanged too
      const char c = text[pos];
      if (static_cast<unsigned char>(c) < 0x80) {
        if (!is_host_ascii(c)) break;
        if (c == '.')
          out += "[.]";
        else
          out.push_back(c);
        ++pos;
        continue;
      }
      const CodePoint cp = decode_at(text, pos);
      if (!cp.valid || !is_host_non_ascii(cp.value)) break;
      out.append(text, pos, cp.length);
      pos += cp.length;
    }
  }
  text = std::move(out);
  return count;
}

}  // namespace mugai::sanitizers::text
