// Removes control characters from UTF-8 text and counts what a report should mention.
// Threats: ESC sequences that rewrite a terminal or log viewer, NUL that truncates strings in
// downstream C code, C1 controls that some viewers interpret, DEL; invalid UTF-8 (replaced by
// U+FFFD so every later stage sees valid text). Bidi controls are kept (Arabic and Hebrew need
// them) but counted, because U+202E also disguises text and file names.
#pragma once

#include <cstddef>
#include <string>

namespace mugai::sanitizers::text {

struct ControlScan {
  std::size_t removed = 0;  // control characters deleted
  std::size_t bidi = 0;     // bidi embedding/override/isolate controls seen (kept)
  std::size_t invalid = 0;  // invalid UTF-8 sequences replaced by U+FFFD
};

// Rewrites `text` in place; TAB and LF stay (run normalise_line_endings first: CR is removed).
ControlScan strip_control_characters(std::string& text);

}  // namespace mugai::sanitizers::text
