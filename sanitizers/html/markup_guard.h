// Prepares decoded HTML for libxml2: line ends unified, control bytes dropped, and no tag with
// more than a fixed number of attributes.
// Threat: libxml2 2.9's HTML parser checks every new attribute of a tag against all earlier ones
// (and appends each to a list), so one tag with 100,000 distinct attributes costs ~10^10 steps:
// a 1 MB body stalls a worker for a minute (measured: 350 KB took 5.6 s). The guard follows
// libxml2's own tokenisation of start tags (name, blanks, name[=value], quoted values, bogus
// runs) so whenever libxml2 is inside a start tag, the guard is inside the same one and has cut
// it. Where the two might disagree (markup inside comments or scripts), '<' inside what the guard
// reads as an attribute value is written as "&lt;": libxml2 decodes that back in real values and
// can never start an uncounted tag there.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::sanitizers::html {

struct GuardedMarkup {
  std::string markup;
  std::size_t tags_cut = 0;          // start tags whose extra attributes were dropped
  std::size_t controls_removed = 0;  // NUL and other C0 control bytes dropped (not TAB/LF/CR/FF)
};

inline constexpr std::size_t kMaxAttributesPerTag = 64;

GuardedMarkup guard_markup(std::string_view utf8, std::size_t max_attributes = kMaxAttributesPerTag);

}  // namespace mugai::sanitizers::html
