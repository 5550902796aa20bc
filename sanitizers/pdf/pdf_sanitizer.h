// The `pdf` module (TypeClass::pdf).
//   strip-active: the document rewritten by qpdf without active content (strip_active.h);
//                 verdict `sanitized`.
//   flatten (画像化): strip-active, then every page rendered to JPEG by poppler's pdftoppm (a
//                 subprocess: poppler is GPL) and a new image-only PDF built with qpdf, one page
//                 per image, page sizes kept (flatten.h); verdict `converted`.
// Options (pdf_options.h): keep_links, encrypted (remove|hold|sanitize), max_objects, dpi,
// max_pages, pdftoppm. Limits: max_decoded_bytes bounds the output; the message deadline bounds
// parsing, writing and rendering.
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::pdf {

class PdfSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "pdf"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::pdf
