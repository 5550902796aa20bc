// OOXML packages libmagic does not name. libmagic recognises Word/Excel/PowerPoint files only
// when the main folder (word/, xl/, ppt/) appears among the first few zip members; packages
// written by other tools (docProps first, as report generators do) come out as
// application/octet-stream or application/zip and would be removed as unknown or handled as
// archives. A zip that names [Content_Types].xml and a main part is typed here as the OOXML
// family it claims; the ooxml module then checks it as a package and refuses it if it is not.
#pragma once

#include <optional>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::core {

// The OOXML type for zip bytes that libmagic left as zip/octet-stream, or nullopt.
std::optional<FileType> unnamed_ooxml_package(std::string_view bytes);

}  // namespace mugai::core
