// Checks of transfer-encoded bytes that GMime's decoders repair silently: GMime skips characters
// outside the base64 alphabet and copies a malformed quoted-printable escape through literally.
// Both repairs stand (they are what common MUAs do), but they are recorded, because a decoder
// that disagrees is how content is smuggled past a scanner.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mugai::mime::detail {

struct Base64Check {
  std::size_t invalid_characters = 0;  // outside A-Z a-z 0-9 + / = and line white space
  bool data_after_padding = false;     // base64 characters after a final '='
  bool incomplete_quantum = false;     // the alphabet characters do not fill whole 4-groups
  bool ok() const { return invalid_characters == 0 && !data_after_padding && !incomplete_quantum; }
  std::string describe() const;
};
Base64Check check_base64(std::string_view encoded);

struct QuotedPrintableCheck {
  std::size_t bad_escapes = 0;  // '=' followed by neither two hex digits nor a line break
  bool ok() const { return bad_escapes == 0; }
};
QuotedPrintableCheck check_quoted_printable(std::string_view encoded);

}  // namespace mugai::mime::detail
