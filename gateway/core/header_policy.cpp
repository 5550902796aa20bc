#include "header_policy.h"

#include <algorithm>
#include <array>
#include <set>
#include <strings.h>

#include "mugai/charset/header_words.h"

namespace mugai::core {
namespace {

enum class FieldKind { address, text, ascii_token };

struct AllowedField {
  std::string_view name;
  FieldKind kind;
};

constexpr std::array kAllowedFields{
    AllowedField{"From", FieldKind::address},       AllowedField{"Sender", FieldKind::address},
    AllowedField{"Reply-To", FieldKind::address},   AllowedField{"To", FieldKind::address},
    AllowedField{"Cc", FieldKind::address},         AllowedField{"Subject", FieldKind::text},
    AllowedField{"Date", FieldKind::ascii_token},   AllowedField{"Message-ID", FieldKind::ascii_token},
    AllowedField{"In-Reply-To", FieldKind::ascii_token},
    AllowedField{"References", FieldKind::ascii_token},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool is_printable_ascii(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; });
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// Splits at commas that are outside quoted strings, comments and angle brackets.
std::vector<std::string> split_addresses(std::string_view raw) {
  std::vector<std::string> chunks;
  std::string current;
  bool quoted = false, escaped = false;
  int angle = 0, comment = 0;
  for (char c : raw) {
    if (escaped) {
      escaped = false;
    } else if (c == '\\' && (quoted || comment)) {
      escaped = true;
    } else if (c == '"' && !comment) {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '(') ++comment;
      else if (c == ')' && comment) --comment;
      else if (c == '<' && !comment) ++angle;
      else if (c == '>' && angle && !comment) --angle;
      else if (c == ',' && !angle && !comment) {
        chunks.push_back(current);
        current.clear();
        continue;
      }
    }
    current.push_back(c);
  }
  chunks.push_back(current);
  return chunks;
}

std::string quote_phrase(std::string_view phrase) {
  static constexpr std::string_view kSpecials = "()<>[]:;@\\,.\"";
  if (phrase.find_first_of(kSpecials) == std::string_view::npos) return std::string(phrase);
  std::string quoted = "\"";
  for (char c : phrase) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string unquote(std::string_view phrase) {
  if (phrase.size() < 2 || phrase.front() != '"' || phrase.back() != '"') return std::string(phrase);
  std::string out;
  for (std::size_t i = 1; i + 1 < phrase.size(); ++i) {
    if (phrase[i] == '\\' && i + 2 < phrase.size()) ++i;
    out.push_back(phrase[i]);
  }
  return out;
}

std::string decode_one_address(std::string_view chunk) {
  const std::string trimmed = trim(chunk);
  const auto open = trimmed.rfind('<');
  if (open == std::string::npos) {
    // A bare addr-spec, perhaps with a comment: keep ASCII as sent, decode anything else.
    return is_printable_ascii(trimmed) && trimmed.find("=?") == std::string::npos
               ? trimmed
               : charset::decode_header_text(trimmed);
  }
  const std::string phrase = trim(std::string_view(trimmed).substr(0, open));
  const std::string address = trimmed.substr(open);
  if (phrase.empty()) return address;
  const std::string decoded = charset::decode_header_text(unquote(phrase));
  return quote_phrase(decoded) + " " + address;
}

}  // namespace

std::string decode_address_header(std::string_view raw_value) {
  std::string out;
  for (const std::string& chunk : split_addresses(raw_value)) {
    if (trim(chunk).empty()) continue;
    if (!out.empty()) out += ", ";
    out += decode_one_address(chunk);
  }
  return out;
}

std::string first_header_text(const std::vector<mime::Header>& headers, std::string_view name) {
  for (const mime::Header& header : headers)
    if (iequals(header.name, name)) return charset::decode_header_text(header.raw_value);
  return {};
}

std::vector<mime::OutHeader> safe_headers(const std::vector<mime::Header>& original,
                                          std::vector<Finding>& findings) {
  std::vector<mime::OutHeader> kept;
  std::set<std::string_view> seen;
  std::size_t dropped = 0;
  for (const mime::Header& header : original) {
    const auto allowed = std::find_if(kAllowedFields.begin(), kAllowedFields.end(),
                                      [&](const AllowedField& f) { return iequals(f.name, header.name); });
    if (allowed == kAllowedFields.end()) {
      ++dropped;
      continue;
    }
    // RFC 5322 allows each of these once; a second From/Subject is a spoofing trick.
    if (!seen.insert(allowed->name).second) {
      findings.push_back({"header.duplicate", "second " + std::string(allowed->name) + " field dropped"});
      continue;
    }
    switch (allowed->kind) {
      case FieldKind::address:
        kept.push_back({std::string(allowed->name), decode_address_header(header.raw_value)});
        break;
      case FieldKind::text:
        kept.push_back({std::string(allowed->name), charset::decode_header_text(header.raw_value)});
        break;
      case FieldKind::ascii_token:
        if (is_printable_ascii(header.raw_value) && header.raw_value.size() <= 900)
          kept.push_back({std::string(allowed->name), trim(header.raw_value)});
        else
          findings.push_back({"header.invalid", std::string(allowed->name) +
                                                    " field dropped: not printable ASCII or too long"});
        break;
    }
  }
  if (dropped)
    findings.push_back({"header.dropped", std::to_string(dropped) + " header field(s) not on the allow list dropped"});
  if (!seen.contains("From")) {
    findings.push_back({"header.missing-from", "no From field: a placeholder sender was written"});
    kept.insert(kept.begin(), {"From", "unknown-sender@invalid"});
  }
  return kept;
}

}  // namespace mugai::core
