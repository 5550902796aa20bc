// `strip-active` for OOXML packages: rebuild the package without VBA (vbaProject.bin,
// vbaData.xml, signatures, toolbars, key maps), Excel 4.0 macro sheets, ActiveX controls, OLE
// embeddings and embedded packages, external relationships (remote templates, linked images,
// external workbook links; hyperlinks too unless keep_links), external-link parts (ddeLink,
// oleLink), DDE/DDEAUTO fields, altChunk imports, customUI with callbacks, digital signatures (invalid after
// any change), unreferenced and untyped parts; [Content_Types].xml and every .rels written afresh and
// consistent (no dangling relationship, no reference to a removed one); macro-enabled main types become their
// macro-free type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::ooxml {

struct StripOptions {
  bool keep_links = false;                 // keep external hyperlink relationships
  std::uint64_t max_members = 10'000;      // zip members
  std::uint64_t max_xml_bytes = 64 << 20;  // one XML part (uncompressed)
};

struct StripResult {
  bool ok = false;
  std::string bytes;      // the new package when ok
  std::string mime;       // of the new package
  std::string extension;  // of the new package, without dot
  std::string source_extension;
  std::string reason;  // what was done (ok) or why the package was refused
  std::vector<Finding> findings;
};

StripResult strip_active(std::string_view bytes, const StripOptions& options, const Context& context);

}  // namespace mugai::sanitizers::ooxml
