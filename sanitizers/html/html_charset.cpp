#include "html/html_charset.h"

#include "mugai/charset/charset.h"

namespace mugai::sanitizers::html {
namespace {

constexpr std::size_t kSniffBytes = 4096;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t find_ci(std::string_view haystack, std::string_view needle, std::size_t from) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(haystack[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

// The value after "charset" inside one tag: optional blanks, '=', blanks, optional quote.
std::string charset_value(std::string_view tag) {
  for (std::size_t at = find_ci(tag, "charset", 0); at != std::string_view::npos;
       at = find_ci(tag, "charset", at + 1)) {
    std::size_t pos = at + 7;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '\t' || tag[pos] == '\n' || tag[pos] == '\r')) ++pos;
    if (pos >= tag.size() || tag[pos] != '=') continue;
    ++pos;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '\t' || tag[pos] == '"' || tag[pos] == '\'')) ++pos;
    std::size_t end = pos;
    while (end < tag.size() && is_label_char(tag[end])) ++end;
    if (end > pos) return std::string(tag.substr(pos, end - pos));
  }
  return {};
}

}  // namespace

std::string sniff_meta_charset(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, kSniffBytes);
  for (std::size_t at = find_ci(head, "<meta", 0); at != std::string_view::npos; at = find_ci(head, "<meta", at + 5)) {
    const std::size_t close = head.find('>', at);
    const std::string value = charset_value(head.substr(at, close == std::string_view::npos ? head.npos : close - at));
    if (!value.empty()) return value;
  }
  return {};
}

LabelChoice choose_label(std::string_view bytes, std::string_view declared_charset) {
  LabelChoice choice;
  if (bytes.starts_with("\xEF\xBB\xBF")) return {"utf-8", "bom", {}};
  // ICU's "UTF-16" reads the BOM itself (and drops it); UTF-16LE/BE would keep it as text.
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) return {"utf-16", "bom", {}};
  if (!declared_charset.empty()) {
    if (!charset::converter_for_label(declared_charset).empty()) return {std::string(declared_charset), "declared", {}};
    choice.findings.push_back({"charset.unknown-label", "unknown charset label '" + std::string(declared_charset) +
                                                            "' in Content-Type; ignored"});
  }
  const std::string meta = sniff_meta_charset(bytes);
  if (!meta.empty()) {
    if (!charset::converter_for_label(meta).empty()) {
      choice.label = meta;
      choice.source = "meta";
      return choice;
    }
    choice.findings.push_back({"charset.unknown-label", "unknown charset label '" + meta + "' in <meta>; ignored"});
  }
  choice.source = "detected";
  return choice;
}

}  // namespace mugai::sanitizers::html
