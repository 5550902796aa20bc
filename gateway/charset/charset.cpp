// to_utf8 and detect: every text byte of a message becomes UTF-8 here.
// Threats: mislabelled or unlabelled Japanese text (decoded by evidence, never dropped), bytes a
// label cannot describe (8-bit in us-ascii / ISO-2022-JP: detect() chooses and the result says
// so), invalid sequences (U+FFFD, counted, so callers can flag a part instead of trusting it).
// Cost: linear; detect() decodes at most three candidates.
#include "mugai/charset/charset.h"

#include <array>

#include "src/icu_decoder.h"
#include "src/iso2022jp_decode.h"
#include "src/labels.h"
#include "src/utf8.h"

namespace mugai::charset {
namespace {

using detail::Family;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// "Mostly UTF-8": text with at least this many valid multi-byte characters (U+0800 and up, which
// CP932 and EUC-JP bytes rarely form by chance) per invalid sequence is UTF-8 with damage (a cut
// at a size limit, one bad byte), not Japanese legacy text.
constexpr std::size_t kUtf8CharactersPerError = 4;

Decoded from_icu(detail::IcuResult result) {
  Decoded decoded;
  decoded.utf8 = std::move(result.utf8);
  decoded.converter = std::move(result.converter);
  decoded.invalid_sequences = result.invalid_sequences;
  return decoded;
}

Decoded decode_with(std::string_view converter, std::string_view bytes) {
  if (auto result = detail::icu_decode(converter, bytes)) return from_icu(std::move(*result));
  // Our own converter names always open; if ICU data were missing, fail closed: all invalid.
  Decoded broken;
  broken.converter = std::string(converter);
  broken.invalid_sequences = bytes.empty() ? 0 : 1;
  if (!bytes.empty()) broken.utf8 = std::string(detail::kReplacementUtf8);
  return broken;
}

Decoded decode_utf8(std::string_view bytes) {
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());  // a BOM is not text
  if (is_valid_utf8(bytes)) {
    Decoded decoded;
    decoded.utf8 = std::string(bytes);
    decoded.converter = std::string(detail::kUtf8Converter);
    return decoded;
  }
  return decode_with(detail::kUtf8Converter, bytes);
}

Decoded decode_ascii(std::string_view bytes) {
  Decoded decoded;
  decoded.utf8 = std::string(bytes);
  decoded.converter = std::string(detail::kAsciiConverter);
  return decoded;
}

Decoded decode_iso2022jp(std::string_view bytes) {
  // No escape, no shift, no 8-bit byte: plain ASCII, ICU would only copy it.
  if (detail::is_ascii(bytes) && bytes.find_first_of("\x1B\x0E\x0F") == std::string_view::npos) {
    Decoded decoded = decode_ascii(bytes);
    decoded.converter = std::string(detail::kIso2022JpConverter);
    return decoded;
  }
  return decode_with(detail::kIso2022JpConverter, detail::expand_shifted_katakana(bytes));
}

// Characters that real Japanese text seldom contains but a wrong guess produces in bulk:
// half-width katakana (EUC-JP kana/kanji read as CP932), private use, C1 controls.
struct Plausibility {
  std::size_t unlikely = 0;
  std::size_t wide = 0;  // code points U+0800 and up
};

Plausibility measure(std::string_view utf8) {
  Plausibility result;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::size_t length = detail::valid_sequence_length(utf8, pos);
    if (length == 0) {  // cannot happen for our own output; be safe
      ++pos;
      continue;
    }
    const char32_t cp = detail::decode_sequence(utf8, pos, length);
    pos += length;
    if (cp >= 0x800 && cp != 0xFFFD) ++result.wide;
    if ((cp >= 0xFF61 && cp <= 0xFF9F) || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0x80 && cp <= 0x9F))
      ++result.unlikely;
  }
  return result;
}

struct Detection {
  std::string name;
  Decoded decoded;
};

// detect() and the decode it implies, so to_utf8 does not decode the winner twice.
Detection detect_and_decode(std::string_view bytes) {
  if (detail::has_jis_escape(bytes)) return {"iso-2022-jp", decode_iso2022jp(bytes)};
  if (detail::is_ascii(bytes)) return {"us-ascii", decode_ascii(bytes)};
  Decoded utf8 = decode_utf8(bytes);
  if (utf8.invalid_sequences == 0) return {"utf-8", std::move(utf8)};
  if (measure(utf8.utf8).wide >= kUtf8CharactersPerError * utf8.invalid_sequences)
    return {"utf-8", std::move(utf8)};

  // CP932 or EUC-JP: fewer invalid sequences wins, then fewer unlikely characters (EUC-JP kana
  // read as CP932 is all half-width katakana and zero errors), then CP932.
  Decoded sjis = decode_with(detail::kCp932Converter, bytes);
  Decoded euc = decode_with(detail::kEucJpConverter, bytes);
  bool euc_wins = euc.invalid_sequences < sjis.invalid_sequences;
  if (euc.invalid_sequences == sjis.invalid_sequences)
    euc_wins = measure(euc.utf8).unlikely < measure(sjis.utf8).unlikely;
  if (euc_wins) return {"euc-jp", std::move(euc)};
  return {"shift_jis", std::move(sjis)};
}

Decoded overridden(std::string_view bytes) {
  Decoded decoded = detect_and_decode(bytes).decoded;
  decoded.label_overridden = true;
  return decoded;
}

}  // namespace

Decoded to_utf8(std::string_view bytes, std::string_view label) {
  const auto resolved = detail::resolve_label(label);
  if (!resolved) {
    Decoded decoded = detect_and_decode(bytes).decoded;
    decoded.label_known = false;
    return decoded;
  }
  switch (resolved->family) {
    case Family::ascii:
      // 8-bit bytes cannot be US-ASCII: the sender lied (commonly raw CP932 or UTF-8). Old
      // Japanese mailers also send ISO-2022-JP with no charset, which RFC 2045 reads as us-ascii.
      if (detail::is_ascii(bytes) && !detail::has_jis_escape(bytes)) return decode_ascii(bytes);
      return overridden(bytes);
    case Family::iso2022jp:
      // 8-bit bytes and not one escape: CP932/EUC-JP/UTF-8 labelled ISO-2022-JP by a mailer.
      if (!detail::is_ascii(bytes) && !detail::has_jis_escape(bytes)) return overridden(bytes);
      return decode_iso2022jp(bytes);
    case Family::utf8:
      return decode_utf8(bytes);
    case Family::other:
      break;
  }
  return decode_with(resolved->converter, bytes);
}

std::string detect(std::string_view bytes) { return detect_and_decode(bytes).name; }

std::string converter_for_label(std::string_view label) {
  const auto resolved = detail::resolve_label(label);
  return resolved ? resolved->converter : std::string();
}

}  // namespace mugai::charset
