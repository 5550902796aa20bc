// MAIL/RCPT path grammar (RFC 5321 §4.1.2) and ESMTP parameters (§4.1.2 esmtp-param).
#include "mugai/smtp/address.h"

#include <cctype>

namespace mugai::smtp {
namespace {

constexpr std::size_t kMaxLocalPart = 64;   // §4.5.3.1.1
constexpr std::size_t kMaxDomain = 255;     // §4.5.3.1.2
constexpr std::size_t kMaxPath = 256;       // §4.5.3.1.3, brackets included
constexpr std::size_t kMaxParameters = 10;  // more is an attack, not a mail client

bool is_atext(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool valid_dot_string(std::string_view local) {
  if (local.empty() || local.front() == '.' || local.back() == '.') return false;
  char previous = 0;
  for (const char c : local) {
    if (c == '.' ? previous == '.' : !is_atext(c)) return false;
    previous = c;
  }
  return true;
}

bool valid_quoted_string(std::string_view local) {
  if (local.size() < 2 || local.front() != '"' || local.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < local.size(); ++i) {
    const auto c = static_cast<unsigned char>(local[i]);
    if (c == '\\') {
      if (++i + 1 >= local.size()) return false;  // escape must not swallow the closing quote
      const auto escaped = static_cast<unsigned char>(local[i]);
      if (escaped < 0x20 || escaped > 0x7e) return false;
    } else if (c == '"' || c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > kMaxDomain) return false;
  if (domain.front() == '[') {
    // Address literal: checked loosely (printable, no brackets inside); never an accepted domain.
    if (domain.back() != ']' || domain.size() < 3) return false;
    for (std::size_t i = 1; i + 1 < domain.size(); ++i) {
      const char c = domain[i];
      if (c == '[' || c == ']' || c == '\\' || c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
  }
  std::size_t label = 0;
  char previous = '.';
  for (const char c : domain) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

// Finds the '>' that closes the path, skipping quoted strings (a quoted local part may hold '>').
std::size_t closing_bracket(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool parse_parameters(std::string_view text, ParsedPath& out) {
  while (!text.empty()) {
    if (text.front() != ' ') return false;
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (text.empty()) break;
    const std::size_t end = text.find(' ');
    const std::string_view item = text.substr(0, end);
    text.remove_prefix(item.size());
    const std::size_t equals = item.find('=');
    std::string keyword(item.substr(0, equals));
    const std::string_view value = equals == std::string_view::npos ? std::string_view{}
                                                                     : item.substr(equals + 1);
    if (keyword.empty()) return false;
    for (char& c : keyword) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    for (const char c : value)
      if (c <= 0x20 || c >= 0x7f || c == '=') return false;
    if (out.parameters.size() >= kMaxParameters) return false;
    out.parameters.emplace_back(std::move(keyword), std::string(value));
  }
  return true;
}

}  // namespace

ParsedPath parse_path(std::string_view text, bool allow_null, bool allow_postmaster) {
  ParsedPath out;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      out.status = ParsedPath::Status::non_ascii;
      return out;
    }
  }
  // One space after the colon is common ("MAIL FROM: <a@b>") and harmless: accepted.
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty() || text.front() != '<') return out;  // syntax
  const std::size_t close = closing_bracket(text);
  if (close == std::string_view::npos) return out;
  if (!parse_parameters(text.substr(close + 1), out)) return out;
  out.parameters.shrink_to_fit();
  if (close + 1 > kMaxPath) {
    out.status = ParsedPath::Status::bad_address;
    return out;
  }
  std::string_view path = text.substr(1, close - 1);
  out.status = ParsedPath::Status::bad_address;
  if (path.empty()) {
    if (!allow_null) return out;
    out.status = ParsedPath::Status::ok;
    return out;
  }
  // Source route "@a,@b:" (obsolete, §4.1.2): must be accepted, is ignored.
  if (path.front() == '@') {
    const std::size_t colon = path.find(':');
    if (colon == std::string_view::npos) return out;
    path.remove_prefix(colon + 1);
  }
  if (allow_postmaster && to_lower(path) == "postmaster") {
    out.address = "postmaster";
    out.status = ParsedPath::Status::ok;
    return out;
  }
  const std::size_t at = path.rfind('@');
  if (at == std::string_view::npos) return out;
  const std::string_view local = path.substr(0, at);
  const std::string_view domain = path.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPart) return out;
  if (!(local.front() == '"' ? valid_quoted_string(local) : valid_dot_string(local))) return out;
  if (!valid_domain(domain)) return out;
  out.domain = to_lower(domain);
  out.address = std::string(local) + "@" + out.domain;
  out.status = ParsedPath::Status::ok;
  return out;
}

}  // namespace mugai::smtp
