// The `ole2` module: legacy Office compound files (doc, xls, ppt; TypeClass::ole2 with an Office
// main stream). Other compound files (MSI, Outlook .msg, Ichitaro, ...) are removed: this module
// only vouches for what it understands.
//   strip-active: the compound file rewritten by libgsf without VBA storages (Macros,
//                 _VBA_PROJECT_CUR, VBA) and embedded objects (ObjectPool, MBD*, Ole10Native);
//                 doc and xls only: PowerPoint keeps its VBA inside the "PowerPoint Document"
//                 stream, which cannot be cut out by storage, so ppt is removed (use convert).
//   convert:      LibreOffice headless to the OOXML type (doc->docx, xls->xlsx, ppt->pptx), then
//                 the ooxml module's strip-active; verdict `converted`, new file name.
//   flatten:      LibreOffice headless to PDF, then the pdf module's strip-active.
// Every action first lists VBA and embedded objects as findings (ole2.vba, ole2.embedded-object).
// Encrypted files (ole2.encrypted) and non-Office compound files (ole2.not-office) are removed.
// Limits: entry count 10000, depth 32, bytes copied <= max_expand_ratio x input and
// max_decoded_bytes; the message deadline (also for LibreOffice, whose process group is killed).
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::ole2 {

class Ole2Sanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "ole2"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::ole2
