// The `ooxml` module: Word, Excel and PowerPoint packages (docx/docm/dotx/dotm, xlsx/xlsm/xltx/
// xltm, pptx/pptm/potx/potm/ppsx/ppsm; TypeClass::ooxml).
//   strip-active: the package rebuilt without active content (strip_active.h), macro-enabled
//                 types converted to macro-free ones with the file name's extension changed;
//                 verdict `sanitized`. Add-ins and .xlsb are removed.
//   flatten:      strip-active first (so LibreOffice never sees macros, remote templates or
//                 DDE), then LibreOffice headless to PDF, then the `pdf` module's strip-active;
//                 verdict `converted` to application/pdf.
// Options: keep_links (true: external hyperlinks stay), max_members (default 10000),
// max_xml_bytes (default 67108864, one *.xml/*.rels member), soffice (path, default
// /usr/bin/soffice).
// Limits: max_decoded_bytes and max_expand_ratio bound the uncompressed package while it is
// read; the message deadline bounds parsing and the LibreOffice run.
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::ooxml {

class OoxmlSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "ooxml"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::ooxml
