// CRLF and bare CR become LF. Mail bodies arrive with CRLF; a bare CR is a line break to some
// readers and not to others (text that looks different to the filter and to the reader), so
// every line ends the same way before anything else looks at lines.
#pragma once

#include <string>

namespace mugai::sanitizers::text {

// Returns the number of bare CRs (a CR not followed by LF) that became line breaks.
std::size_t normalise_line_endings(std::string& text);

}  // namespace mugai::sanitizers::text
