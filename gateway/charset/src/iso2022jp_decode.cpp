// ISO-2022-JP variants ICU does not read itself. ICU decodes ESC ( I half-width katakana and
// NEC row 13, but treats SO (0x0E) / SI (0x0F) as errors; some old Japanese mailers shift
// katakana in with SO/SI. We translate SO -> ESC ( I and SI -> the G0 designation that was active
// before, which is exactly what SO/SI mean in JIS7.
#include "iso2022jp_decode.h"

#include <array>

namespace mugai::charset::detail {
namespace {

constexpr char kEsc = '\x1B';
constexpr char kShiftOut = '\x0E';
constexpr char kShiftIn = '\x0F';

constexpr std::array<std::string_view, 7> kJapaneseDesignations{"\x1B$B",  "\x1B$@", "\x1B(J", "\x1B(I",
                                                                "\x1B$(D", "\x1B&@", "\x1B$(B"};

// Length of a G0 designation starting at bytes[pos] (ESC ( F, ESC $ F, ESC $ ( F), else 0.
std::size_t designation_length(std::string_view bytes, std::size_t pos) {
  const std::string_view rest = bytes.substr(pos);
  if (rest.size() >= 4 && rest[1] == '$' && rest[2] == '(') return 4;
  if (rest.size() >= 3 && (rest[1] == '(' || rest[1] == '$')) return 3;
  return 0;
}

}  // namespace

bool has_jis_escape(std::string_view bytes) {
  for (std::size_t pos = bytes.find(kEsc); pos != std::string_view::npos; pos = bytes.find(kEsc, pos + 1))
    for (std::string_view designation : kJapaneseDesignations)
      if (bytes.substr(pos, designation.size()) == designation) return true;
  return false;
}

std::string expand_shifted_katakana(std::string_view bytes) {
  if (bytes.find(kShiftOut) == std::string_view::npos) return std::string(bytes);
  static constexpr std::string_view kKatakana = "\x1B(I";
  static constexpr std::string_view kAscii = "\x1B(B";
  std::string out;
  out.reserve(bytes.size() + 16);
  std::string_view active_g0 = kAscii;
  bool shifted = false;
  for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
    const char c = bytes[pos];
    if (c == kEsc) {
      if (const std::size_t length = designation_length(bytes, pos); length != 0) {
        active_g0 = bytes.substr(pos, length);
        shifted = false;
        out.append(active_g0);
        pos += length - 1;
        continue;
      }
    } else if (c == kShiftOut) {
      if (!shifted) out.append(kKatakana);
      shifted = true;
      continue;
    } else if (c == kShiftIn && shifted) {
      out.append(active_g0);  // a stray SI stays in the bytes: ICU counts it as invalid
      shifted = false;
      continue;
    } else if (c == '\r' || c == '\n') {
      // A line end returns to ASCII (RFC 1468), and ICU resets there too.
      if (shifted) out.append(kAscii);
      shifted = false;
      active_g0 = kAscii;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace mugai::charset::detail
