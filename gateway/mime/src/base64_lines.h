// Attachment bodies as build() writes them: base64 in lines of 76 characters, each ending CRLF
// (RFC 2045 6.8), the layout GMime's own encoder gives, encoded by OpenSSL in one pass.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::mime::detail {

std::size_t base64_lines_size(std::size_t input_size);
void append_base64_lines(std::string& out, std::string_view bytes);

}  // namespace mugai::mime::detail
