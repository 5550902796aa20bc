// Header-value helpers of the builder: every value it writes is 7-bit, folded, and no line of it
// exceeds 998 octets (RFC 5322 2.1.1), whatever the caller passed in.
#pragma once

#include <string>
#include <string_view>

namespace mugai::mime::detail {

// Valid UTF-8 without control characters (CR, LF, NUL ... become a space) and without leading or
// trailing blanks: no value can inject a header line or a NUL into the output.
std::string clean_header_utf8(std::string_view value);

// RFC 5322 field name: 1 to 76 printable ASCII characters except ':'.
bool is_valid_field_name(std::string_view name);

// The raw value as GMime stores it (" value\n", folded lines joined by "\n ") for `name`:
// printable ASCII is folded at blanks, anything else RFC 2047 encoded in UTF-8 by
// mugai::charset. A value that still cannot be written within the line limit is encoded as
// RFC 2047 words anyway, which can be split anywhere.
std::string unstructured_raw_value(std::string_view name, std::string_view utf8);

// Every line of "name:" + raw_value is 7-bit printable (or a blank) and at most 998 octets.
bool is_writable_field(std::string_view name, std::string_view raw_value);

// RFC 2047 B-encoded UTF-8 words, one per folded line, each within 75 characters.
std::string encoded_words_raw_value(std::string_view utf8);

}  // namespace mugai::mime::detail
