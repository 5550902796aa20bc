// libxml2's HTML parser in streaming (SAX) mode: no tree is built, so memory stays bounded by
// nesting depth, and every callback is a chance to stop. Options: NONET (no fetching, ever),
// NOERROR/NOWARNING (no stderr), RECOVER (malformed markup is the normal case), IGNORE_ENC (the
// input is already UTF-8; a <meta charset> must not switch decoders). Never HUGE.
// Threats: deep nesting (libxml2 scans its element stack on every end tag, so depth is capped),
// slow inputs (deadline checked every few hundred events), output amplification (over_budget).
#pragma once

#include <cstddef>
#include <string_view>

#include "html/html_events.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::html {

inline constexpr std::size_t kMaxElementDepth = 256;  // libxml2's own tree-building default

enum class ParseStop { none, depth, deadline, budget, failed };

// `utf8` must be valid UTF-8 (guard_markup output). Returns why parsing stopped early, if it did.
ParseStop parse_html(std::string_view utf8, HtmlEvents& events, const Context& context,
                     std::size_t max_depth = kMaxElementDepth);

}  // namespace mugai::sanitizers::html
