#include "parser_warnings.h"

#include <cstring>

#include "excerpt.h"

namespace mugai::mime::detail {

std::string warning_code(int gmime_warning) {
  switch (gmime_warning) {
    case GMIME_WARN_DUPLICATED_HEADER:
      return "mime.duplicate-header";
    case GMIME_WARN_DUPLICATED_PARAMETER:
      return "mime.duplicate-parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
      return "mime.8bit-header";
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      return "mime.invalid-content-type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      return "mime.invalid-rfc2047";
    case GMIME_WARN_MALFORMED_MULTIPART:
      return "mime.malformed-multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE:
      return "mime.truncated";
    case GMIME_WARN_MALFORMED_MESSAGE:
      return "mime.malformed-message";
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return "mime.invalid-header";
    case GMIME_CRIT_CONFLICTING_HEADER:
      return "mime.conflicting-header";
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      return "mime.conflicting-parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return "mime.missing-boundary";
    case GMIME_WARN_INVALID_PARAMETER:
      return "mime.invalid-parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return "mime.invalid-address-list";
    case GMIME_CRIT_NESTING_OVERFLOW:
      return "mime.nesting-overflow";
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      return "mime.part-without-content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return "mime.part-without-headers";
    default:
      return "mime.parser-warning-" + std::to_string(gmime_warning);
  }
}

void ParserWarnings::attach(GMimeParserOptions* options) {
  g_mime_parser_options_set_warning_callback(options, &ParserWarnings::on_warning, this);
}

void ParserWarnings::on_warning(gint64 offset, GMimeParserWarning code, const gchar* item,
                                gpointer self) noexcept {
  // Called from inside GMime's C code: nothing may propagate out of here.
  try {
    Seen& seen = static_cast<ParserWarnings*>(self)->seen_[static_cast<int>(code)];
    if (seen.count++ == 0) {
      seen.first_offset = offset;
      if (item) seen.first_item = printable_excerpt(std::string_view(item, ::strnlen(item, 200)));
    }
  } catch (...) {
  }
}

bool ParserWarnings::nesting_overflow() const {
  return seen_.contains(static_cast<int>(GMIME_CRIT_NESTING_OVERFLOW));
}

std::vector<Finding> ParserWarnings::findings() const {
  std::vector<Finding> out;
  for (const auto& [code, seen] : seen_) {
    if (code == GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY) continue;  // reported on its node
    std::string detail = "GMime: " + warning_code(code).substr(5);
    if (seen.count > 1) detail += ", " + std::to_string(seen.count) + " times";
    if (seen.first_offset >= 0) detail += ", first at byte " + std::to_string(seen.first_offset);
    if (!seen.first_item.empty()) detail += ": '" + seen.first_item + "'";
    out.push_back({warning_code(code), std::move(detail)});
  }
  return out;
}

}  // namespace mugai::mime::detail
