#include "html/url_policy.h"

#include "text/utf8_scan.h"

namespace mugai::sanitizers::html {
namespace {

using sanitizers::text::CodePoint;
using sanitizers::text::decode_at;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Browsers strip leading/trailing C0 controls and spaces and remove tab/CR/LF anywhere.
std::string browser_normalised(std::string_view raw) {
  std::size_t begin = 0;
  std::size_t end = raw.size();
  while (begin < end && static_cast<unsigned char>(raw[begin]) <= 0x20) ++begin;
  while (end > begin && static_cast<unsigned char>(raw[end - 1]) <= 0x20) --end;
  std::string out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i)
    if (raw[i] != '\t' && raw[i] != '\n' && raw[i] != '\r') out.push_back(raw[i]);
  return out;
}

// Scheme per RFC 3986 (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), lower-cased, or "".
std::string scheme_of(std::string_view url) {
  if (url.empty() || !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z'))) return {};
  for (std::size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') {
      std::string scheme;
      for (std::size_t j = 0; j < i; ++j) scheme.push_back(lower(url[j]));
      return scheme;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '-' || c == '.';
    if (!ok) return {};
  }
  return {};
}

// Invisible or direction-changing characters would let a URL read differently from what it is.
bool must_escape(char32_t cp) {
  return cp <= 0x20 || cp == 0x7F || cp == '<' || cp == '>' || cp == '"' || cp == '`' || (cp >= 0x80 && cp <= 0xA0) ||
         cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || cp == 0x3000;
}

std::string displayable(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (std::size_t pos = 0; pos < url.size();) {
    const CodePoint cp = decode_at(url, pos);
    if (cp.valid && !must_escape(cp.value)) {
      out.append(url, pos, cp.length);
    } else {
      for (std::size_t i = 0; i < cp.length; ++i) {
        const auto byte = static_cast<unsigned char>(url[pos + i]);
        out.push_back('%');
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xF]);
      }
    }
    pos += cp.length;
  }
  return out;
}

std::string_view comparable(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
  for (std::string_view prefix : {"mailto:", "https://", "http://"}) {
    if (s.size() < prefix.size()) continue;
    std::size_t i = 0;
    while (i < prefix.size() && lower(s[i]) == prefix[i]) ++i;
    if (i == prefix.size()) {
      s.remove_prefix(prefix.size());
      break;
    }
  }
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

}  // namespace

UrlVerdict classify_url(std::string_view raw) {
  UrlVerdict verdict;
  const std::string url = browser_normalised(raw);
  if (url.empty() || url.front() == '#') return verdict;
  verdict.scheme = scheme_of(url);
  if (verdict.scheme.empty())
    verdict.kind = UrlKind::relative;
  else if (verdict.scheme == "http" || verdict.scheme == "https")
    verdict.kind = UrlKind::web;
  else if (verdict.scheme == "mailto")
    verdict.kind = UrlKind::mail;
  else if (verdict.scheme == "javascript" || verdict.scheme == "vbscript" || verdict.scheme == "livescript")
    verdict.kind = UrlKind::script;
  else if (verdict.scheme == "data")
    verdict.kind = UrlKind::data;
  else
    verdict.kind = UrlKind::other_scheme;
  if (is_shown(verdict.kind)) verdict.display = displayable(url);
  return verdict;
}

bool is_remote(std::string_view raw) {
  const std::string url = browser_normalised(raw);
  if (url.starts_with("//") || url.starts_with("\\\\")) return true;
  const std::string scheme = scheme_of(url);
  return scheme == "http" || scheme == "https" || scheme == "ftp";
}

bool text_matches_url(std::string_view text, std::string_view url) {
  const std::string_view a = comparable(text);
  const std::string_view b = comparable(url);
  if (a.empty() || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace mugai::sanitizers::html
