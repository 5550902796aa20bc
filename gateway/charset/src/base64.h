// Base64 for RFC 2047 B words (internal to mugai_charset).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mugai::charset::detail {

// Strict alphabet; padding optional (senders drop it), but a length of 4n+1 or any character
// outside the alphabet makes the word malformed (nullopt).
std::optional<std::string> base64_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);

}  // namespace mugai::charset::detail
