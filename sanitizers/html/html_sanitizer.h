// The `html` module: HTML parts (TypeClass::html) become readable UTF-8 text/plain; nothing
// active crosses (scripts, handlers, frames, forms, remote resources are dropped and reported),
// links survive as inert text "text <URL>" for the allowed schemes only.
// Pipeline: charset (BOM, declared, <meta>, detection) -> UTF-8 -> markup guard (attribute cap,
// control bytes) -> libxml2 HTML parser in SAX mode (NONET, RECOVER, never HUGE) -> text
// renderer -> the text module's clean-up (controls, uuencode, bidi, defang_urls option).
// Limits: element depth 256, 64 attributes per tag, output at most 4x the input (min 1 MB), the
// message deadline. A breach removes the part with a limit finding; nothing is half-delivered.
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::html {

class HtmlSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "html"; }
  bool handles(const FileType& type) const override;
  // "to-text" only.
  bool supports(std::string_view action) const override;
  // Options: defang_urls=true. Never throws.
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::html
