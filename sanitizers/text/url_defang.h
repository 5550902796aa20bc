// Optional URL defanging (profile option defang_urls: true): "http://a.example/x" becomes
// "hxxp://a[.]example/x" so no reader turns it into a clickable link, while a person can still
// read and, deliberately, retype it. Used by municipalities that forbid clicking links from
// outside mail on LGWAN terminals.
#pragma once

#include <cstddef>
#include <string>

namespace mugai::sanitizers::text {

// Rewrites every http:// and https:// URL (any letter case) in UTF-8 `text`: the scheme's "tt"
// becomes "xx", every '.' in the host part becomes "[.]". Returns the number of URLs rewritten.
// Idempotent: defanged text contains no http:// left to rewrite.
std::size_t defang_urls(std::string& text);

}  // namespace mugai::sanitizers::text
