// UTF-8 -> ISO-2022-JP for outgoing text, with the repertoire Outlook and the WHATWG encoder use:
// JIS X 0208 rows 1-84 plus NEC row 13 (① ㈱ ㍻) and NEC-selected IBM extensions in rows 89-92
// (髙 﨑), i.e. every CP932 double-byte character that has a JIS row/cell. Every IBM extension
// (CP932 0xFA40-0xFC4B) also has a NEC-selected twin, so all of them encode; only user-defined
// characters (private use), half-width katakana (RFC 1468 forbids ESC ( I), characters outside
// CP932 (𠮷, emoji) and the JIS-semantics twins of CP932 characters (U+301C 〜, U+2016 ‖,
// U+2212 −, U+00A2/U+00A3/U+00AC, U+00A5 ¥) have no mapping: the caller keeps UTF-8 instead,
// so decode(encode(x)) == x always holds. Output returns to ASCII (ESC ( B) before every line end
// and at the end, as RFC 1468 requires; ESC, SO and SI in the input are refused, since they
// would change the meaning of the bytes that follow.
#include <unicode/ucnv.h>

#include <cstdint>
#include <unordered_map>

#include "mugai/charset/charset.h"
#include "src/labels.h"
#include "src/utf8.h"

namespace mugai::charset {
namespace {

using JisTable = std::unordered_map<char32_t, std::uint16_t>;

// JIS row/cell (0x21-0x7E each) -> the Shift_JIS bytes that encode it.
std::pair<unsigned char, unsigned char> jis_to_sjis(unsigned j1, unsigned j2) {
  const unsigned lead = ((j1 + 1) >> 1) + (j1 < 0x5F ? 0x70 : 0xB0);
  const unsigned trail = (j1 & 1) != 0 ? j2 + (j2 < 0x60 ? 0x1F : 0x20) : j2 + 0x7E;
  return {static_cast<unsigned char>(lead), static_cast<unsigned char>(trail)};
}

// Built once from ICU's CP932 table: for each Unicode character the first JIS position (in
// row/cell order) that CP932 decodes to it, so JIS X 0208 positions win over NEC duplicates
// (≒ is 0x2262, not NEC's 0x2D70; ￢ is 0x224C, not 0x7C7B).
JisTable build_table() {
  JisTable table;
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(std::string(detail::kCp932Converter).c_str(), &error);
  if (U_FAILURE(error)) return table;  // fail closed: nothing non-ASCII encodes
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  for (unsigned j1 = 0x21; j1 <= 0x7E; ++j1) {
    for (unsigned j2 = 0x21; j2 <= 0x7E; ++j2) {
      const auto [lead, trail] = jis_to_sjis(j1, j2);
      const char bytes[2] = {static_cast<char>(lead), static_cast<char>(trail)};
      UChar units[4];
      error = U_ZERO_ERROR;
      ucnv_reset(converter);
      const int32_t count = ucnv_toUChars(converter, units, 4, bytes, 2, &error);
      if (U_FAILURE(error) || count != 1 || units[0] == 0xFFFD) continue;
      // Only rows 1-94 are reachable: CP932 user-defined rows (0xF040-, private use) are not.
      table.emplace(static_cast<char32_t>(units[0]), static_cast<std::uint16_t>((j1 << 8) | j2));
    }
  }
  ucnv_close(converter);
  return table;
}

const JisTable& jis_table() {
  static const JisTable table = build_table();
  return table;
}

}  // namespace

std::optional<std::string> utf8_to_iso2022jp(std::string_view utf8) {
  static constexpr std::string_view kToAscii = "\x1B(B";
  static constexpr std::string_view kToJis0208 = "\x1B$B";
  const JisTable& table = jis_table();
  std::string out;
  out.reserve(utf8.size() + 16);
  bool in_jis = false;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::size_t length = detail::valid_sequence_length(utf8, pos);
    if (length == 0) return std::nullopt;
    const char32_t cp = detail::decode_sequence(utf8, pos, length);
    pos += length;
    if (cp < 0x80) {
      if (cp == 0x1B || cp == 0x0E || cp == 0x0F) return std::nullopt;
      if (in_jis) out.append(kToAscii);  // also the RFC 1468 reset before CR / LF
      in_jis = false;
      out.push_back(static_cast<char>(cp));
      continue;
    }
    const auto found = table.find(cp);
    if (found == table.end()) return std::nullopt;
    if (!in_jis) out.append(kToJis0208);
    in_jis = true;
    out.push_back(static_cast<char>(found->second >> 8));
    out.push_back(static_cast<char>(found->second & 0xFF));
  }
  if (in_jis) out.append(kToAscii);
  return out;
}

}  // namespace mugai::charset
