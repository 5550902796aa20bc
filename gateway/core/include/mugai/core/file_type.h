// True type of bytes with libmagic (one magic_t per thread), mapped to the TypeClass that profile
// rules match on. Declared types and names are never trusted for this.
#pragma once

#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::core {

FileType identify(std::string_view bytes);
// Class for a MIME type string as libmagic spells it ("application/x-dosexec" -> executable).
TypeClass classify_mime(std::string_view mime);

}  // namespace mugai::core
