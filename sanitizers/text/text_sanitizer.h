// The `text` module: plain-text parts (TypeClass::text) become clean UTF-8 text/plain.
// Threats handled: mislabelled or unlabelled Japanese charsets (decoded by mugai::charset, the
// label problem reported), control characters (terminal escapes, NUL), files smuggled as
// uuencode inside the body (cut out, handed back as attachments), bidi overrides (reported),
// and, when the profile asks, clickable URLs (defanged). Limits consulted: the deadline,
// max_parts (extracted files), max_filename_chars (names shown in placeholders).
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::text {

class TextSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "text"; }
  bool handles(const FileType& type) const override;
  // "keep" and "to-text" (the same conversion: the result is always UTF-8 text/plain).
  bool supports(std::string_view action) const override;
  // Options: defang_urls=true. Never throws.
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::text
