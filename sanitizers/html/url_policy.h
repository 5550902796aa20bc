// What may become of a URL found in HTML. Only http, https, mailto and relative references are
// written into the text, and only as inert text. javascript:, vbscript: and data: never appear,
// nor any other scheme (file:, ms-msdt:, search-ms: ... are attack vectors of their own).
// Threat: browsers ignore tabs and newlines inside URLs and leading blanks/controls, so
// "java\tscript:" is javascript: and is classified as such here.
#pragma once

#include <string>
#include <string_view>

namespace mugai::sanitizers::html {

enum class UrlKind {
  none,         // empty, or only a fragment ("#top"): nothing worth showing
  web,          // http, https
  mail,         // mailto
  relative,     // no scheme
  script,       // javascript:, vbscript:
  data,         // data:
  other_scheme  // anything else
};

struct UrlVerdict {
  UrlKind kind = UrlKind::none;
  std::string scheme;   // lower case, "" for relative/none
  std::string display;  // safe text form (for web/mail/relative only)
};

UrlVerdict classify_url(std::string_view raw);

inline bool is_shown(UrlKind kind) { return kind == UrlKind::web || kind == UrlKind::mail || kind == UrlKind::relative; }

// True for "http:", "https:" and scheme-relative "//host" references (remote resources).
bool is_remote(std::string_view raw);

// Whether link text already says what the URL says (so "https://a.example" is not followed by
// " <https://a.example>"). Compares without scheme, "mailto:", trailing '/', ASCII case.
bool text_matches_url(std::string_view text, std::string_view url);

}  // namespace mugai::sanitizers::html
