// Printable-ASCII rendering of untrusted bytes for a finding's detail or a rejection reason: at
// most `max` characters, anything else as \xNN, so reports stay valid UTF-8 and on one line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::mime::detail {

std::string printable_excerpt(std::string_view bytes, std::size_t max = 60);

}  // namespace mugai::mime::detail
