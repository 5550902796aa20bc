// Decoding and encoding of the non-ASCII parts of mail headers: RFC 2047 encoded words (also
// inside quoted parameter values, as Outlook and Becky! send file names) and RFC 2231 parameter
// values with continuations (UTF-8, ISO-2022-JP split anywhere, even inside an escape sequence).
// Charset work goes through charset.h (ICU), never through GMime's iconv.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::charset {

// Decodes every encoded word in an unstructured header value to UTF-8. Raw 8-bit bytes outside
// encoded words are decoded as UTF-8 if valid, else by detect(). Whitespace between adjacent
// encoded words is dropped (RFC 2047 §6.2), and adjacent words in one charset are joined as
// bytes before decoding (MUAs split characters across words). Malformed words are kept as literal
// text. Leading and trailing blanks are trimmed, line breaks removed (unfolding), and control
// characters other than TAB (CR, LF, NUL decoded from =0D=0A, =00 ...) become U+FFFD, so no
// decoded value can inject a header line.
std::string decode_header_text(std::string_view raw_value);

// Encodes UTF-8 text as RFC 2047 B-encoded UTF-8 words when it is not plain printable ASCII,
// folded so that no line of `field_name: value` exceeds 78 octets. Returns the value only (no
// field name), with CRLF + space as folding. Printable ASCII containing "=?" is encoded too, so
// that the recipient cannot read it as an encoded word; invalid UTF-8 is repaired first (U+FFFD).
// Each encoded word is at most 75 characters and holds whole UTF-8 characters only.
std::string encode_header_text(std::string_view utf8, std::string_view field_name);

// Bounds of parse_parameters, against header bombs (a Content-Type with 100,000 parameters or a
// file name in 100,000 RFC 2231 segments costs every later consumer time and memory). Real mail
// uses a handful of parameters and rarely more than 20 segments. Excess is dropped, and the drop
// recorded in `problems`, so the caller can flag the part rather than silently trust it.
inline constexpr std::size_t kMaxParameters = 64;             // distinct names kept
inline constexpr std::size_t kMaxContinuationSegments = 256;  // name*0 .. name*255
inline constexpr std::size_t kMaxProblems = 32;               // then one "... more" entry

struct ParsedParameters {
  std::string value;  // e.g. "attachment" or "application/pdf", lower-case
  std::map<std::string, std::string, std::less<>> params;  // lower-case names; values decoded to UTF-8
  std::vector<std::string> problems;                       // repairs made, for findings
};

// Parses a raw Content-Type or Content-Disposition value: value; name=token|"quoted"; with
// RFC 2231 name*=charset'lang'pct-encoded and name*0*= / name*1= continuations joined *before*
// charset decoding, and RFC 2047 words inside quoted values decoded. Duplicate parameters: the
// first wins and a problem is recorded. When both name= and name*= are given, the RFC 2231 value
// wins (it is the exact one; the plain one is a fallback for old readers). Raw 8-bit bytes in a
// value (old Japanese MUAs send raw Shift_JIS) are decoded by detect(); a backslash that is the
// second byte of a Shift_JIS character (表 = 0x95 0x5C) is not taken as a quoted-pair escape.
// Control characters in decoded values become U+FFFD (recorded).
ParsedParameters parse_parameters(std::string_view raw_value);

}  // namespace mugai::charset
