// Document formats Japanese municipalities receive that libmagic does not name (or names as
// text): 一太郎 (Ichitaro, an OLE2 compound file with JustSystems' "\x04JSRV_SegmentInformation"
// stream), DocuWorks ("%XDW"), JW_CAD ("JwwData."), and STEP Part 21 CAD exchange files
// ("ISO-10303-21;"; SFC/SXF when the header names SCADEC). Each gets its own TypeClass so
// profiles can decide per format, and a `format.*` finding so reports name it.
#pragma once

#include <optional>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::core {

// The named type when the bytes carry one of these signatures (checked before libmagic).
std::optional<FileType> japanese_format(std::string_view bytes);
// {"format.ichitaro", "一太郎 document"} etc. for a type of one of these classes.
std::optional<Finding> japanese_format_finding(const FileType& type);

}  // namespace mugai::core
