// The name a report uses for the charset a part was actually decoded from ("Shift_JIS", not
// ICU's "ibm-943_P15A-2003"), so reasons read "Shift_JIS text normalised to UTF-8".
#pragma once

#include <string>
#include <string_view>

namespace mugai::sanitizers::text {

// From the ICU converter name mugai::charset::Decoded reports; unknown names are returned as is.
std::string charset_display_name(std::string_view converter);

// UTF-8 and US-ASCII need no conversion to become UTF-8.
bool is_utf8_compatible(std::string_view converter);

}  // namespace mugai::sanitizers::text
