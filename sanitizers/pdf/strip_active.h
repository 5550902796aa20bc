// `strip-active` for PDFs: parse with qpdf (recovering from damage the way qpdf does, warnings
// counted, never printed), remove active content from every object (active_content.h), and
// write one clean revision: no incremental updates, no object streams, no encryption, no
// unreferenced objects (so removed embedded files and old revisions are really gone).
// Encrypted input follows the `encrypted` option; anything qpdf cannot parse is removed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"
#include "pdf/pdf_options.h"

namespace mugai::sanitizers::pdf {

struct PdfResult {
  Action action = Action::removed;  // sanitized, removed or held
  std::string bytes;                 // the clean PDF when sanitized
  std::string reason;
  std::vector<Finding> findings;
  std::uint64_t pages = 0;
};

PdfResult strip_active(std::string_view bytes, const PdfOptions& options, const Context& context);

}  // namespace mugai::sanitizers::pdf
