// Charset conversion through ICU, with the label -> converter map that gives Japanese mail its
// real-world meaning: Shift_JIS / Windows-31J / CP932 are all read as CP932 (ibm-943: NEC row 13,
// IBM extensions), ISO-2022-JP accepts Outlook's NEC row 13 (① ㈱ ㍻). glibc iconv (what GMime
// uses) garbles exactly these, so every text byte in mugai is decoded here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::charset {

struct Decoded {
  std::string utf8;         // always valid UTF-8; undecodable bytes become U+FFFD
  std::string converter;    // the ICU converter used, e.g. "ibm-943_P15A-2003"
  bool label_known = true;  // false: the label was unknown and `detect` chose instead
  std::size_t invalid_sequences = 0;
  // true: the label was known but cannot describe these bytes (8-bit bytes labelled us-ascii, or
  // ISO-2022-JP without a single escape sequence), so `detect` chose instead. Worth a finding.
  bool label_overridden = false;
};

// Decodes `bytes` labelled `label` (any case, any alias; "" means unlabelled).
// An unknown or empty label falls back to detect(); the result records that.
Decoded to_utf8(std::string_view bytes, std::string_view label);

// Best guess for unlabelled bytes: "us-ascii", "utf-8", "iso-2022-jp", "shift_jis" (CP932) or
// "euc-jp". Never fails; the answer for arbitrary binary is "shift_jis"/"utf-8"-ish, callers that
// care check Decoded::invalid_sequences.
std::string detect(std::string_view bytes);

// UTF-8 -> ISO-2022-JP (JIS X 0208 plus the NEC row 13 / CP932 mappings Outlook uses). Returns
// nullopt when any character has no mapping: the caller then keeps UTF-8 instead of writing '?'.
std::optional<std::string> utf8_to_iso2022jp(std::string_view utf8);

bool is_valid_utf8(std::string_view bytes);

// The ICU converter name a label resolves to ("" when unknown), for logs and tests.
std::string converter_for_label(std::string_view label);

}  // namespace mugai::charset
