// The clean-up every plain-text result of mugai goes through, whether it came from a text part
// (TextSanitizer) or was rendered from HTML (HtmlSanitizer): one LF line end, no control
// characters, embedded uuencoded files cut out and handed back as attachments, bidi controls
// reported, URLs optionally defanged. Input must already be UTF-8 (mugai::charset).
#pragma once

#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::text {

struct CleanOptions {
  bool defang_urls = false;
};

struct CleanResult {
  std::string text;
  std::vector<Finding> findings;
  std::vector<Extracted> extracted;
  std::vector<std::string> changes;  // what was removed or rewritten, for the reason sentence
  std::size_t controls_removed = 0;  // also reported as finding text.control-characters
  bool expired = false;              // deadline passed: the caller must not deliver `text`
};

CleanResult clean_text(std::string utf8, const CleanOptions& options, const Context& context);

// "a, b and c" style join of CleanResult::changes for a reason sentence.
std::string join_changes(const std::vector<std::string>& changes);

}  // namespace mugai::sanitizers::text
