// ISO-2022-JP both ways: Outlook's NEC row 13 in, RFC 1468 out, and the round trip.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/charset/charset.h"

using namespace std::string_literals;
using mugai::charset::to_utf8;
using mugai::charset::utf8_to_iso2022jp;

TEST_CASE("ISO-2022-JP decodes Outlook's NEC row 13 and rows 89-92", "[charset][iso2022jp]") {
  // ESC $ B 0x2D21 ① 0x2D6A ㈱ 0x2D5F ㍻ 0x2141 ～ 0x7C62 髙 0x7975 﨑 ESC ( B
  const auto decoded = to_utf8("\x1B$B\x2D\x21\x2D\x6A\x2D\x5F\x21\x41\x7C\x62\x79\x75\x1B(B"s, "ISO-2022-JP");
  CHECK(decoded.utf8 == "①㈱㍻～髙﨑");
  CHECK(decoded.invalid_sequences == 0);
  CHECK(to_utf8("\x1B$B\x46\x7C\x4B\x5C\x38\x6C\x24\x4E\x25\x46\x25\x2D\x25\x39\x25\x48\x1B(B"s, "iso-2022-jp")
            .utf8 == "日本語のテキスト");
  // ESC $ @ (JIS C 6226-1978) is read as JIS X 0208.
  CHECK(to_utf8("\x1B$@\x24\x22\x1B(B"s, "iso-2022-jp").utf8 == "あ");
  // An undefined cell in row 13 is an error, not a guess.
  const auto undefined = to_utf8("\x1B$B\x2D\x7E\x1B(B"s, "iso-2022-jp");
  CHECK(undefined.utf8 == "\xEF\xBF\xBD");
  CHECK(undefined.invalid_sequences == 1);
}

TEST_CASE("ISO-2022-JP JIS X 0201 variants", "[charset][iso2022jp]") {
  CHECK(to_utf8("\x1B(I\x43\x3D\x44\x1B(B"s, "iso-2022-jp").utf8 == "ﾃｽﾄ");        // ESC ( I
  CHECK(to_utf8("a\x0E\x43\x3D\x44\x0F" "b"s, "iso-2022-jp").utf8 == "aﾃｽﾄb");    // SO / SI
  // SI returns to the set that was active before SO, here JIS X 0208.
  CHECK(to_utf8("\x1B$B\x24\x22\x0E\x31\x0F\x24\x24\x1B(B"s, "iso-2022-jp").utf8 == "あｱい");
  CHECK(to_utf8("\x1B(J\x41\x1B(B"s, "iso-2022-jp").utf8 == "A");  // JIS X 0201 Roman
  // A stray SI is an error.
  CHECK(to_utf8("a\x0F" "b"s, "iso-2022-jp").invalid_sequences == 1);
}

TEST_CASE("ISO-2022-JP malformed input", "[charset][iso2022jp]") {
  const auto bad_escape = to_utf8("a\x1B$Zb"s, "iso-2022-jp");
  CHECK(bad_escape.invalid_sequences >= 1);
  CHECK(mugai::charset::is_valid_utf8(bad_escape.utf8));
  CHECK(to_utf8("\x1B$B\x24"s, "iso-2022-jp").invalid_sequences == 1);  // truncated character
  CHECK(to_utf8("\x1B$B\x24\x22\x1B("s, "iso-2022-jp").invalid_sequences == 1);  // truncated escape
}

TEST_CASE("utf8_to_iso2022jp writes RFC 1468 ISO-2022-JP", "[charset][iso2022jp]") {
  CHECK(utf8_to_iso2022jp("").value() == "");
  CHECK(utf8_to_iso2022jp("plain").value() == "plain");
  CHECK(utf8_to_iso2022jp("日本語のテキスト").value() ==
        "\x1B$B\x46\x7C\x4B\x5C\x38\x6C\x24\x4E\x25\x46\x25\x2D\x25\x39\x25\x48\x1B(B"s);
  // Outlook's repertoire: NEC row 13, rows 89-92 (NEC-selected IBM extensions), ～ as 0x2141.
  CHECK(utf8_to_iso2022jp("①㈱㍻～髙﨑").value() == "\x1B$B\x2D\x21\x2D\x6A\x2D\x5F\x21\x41\x7C\x62\x79\x75\x1B(B"s);
  // JIS X 0208 positions win over NEC duplicates: ≒ is 0x2262, not 0x2D70.
  CHECK(utf8_to_iso2022jp("≒").value() == "\x1B$B\x22\x62\x1B(B"s);
  // Back to ASCII before every line end.
  CHECK(utf8_to_iso2022jp("あ\r\nい\nu").value() == "\x1B$B\x24\x22\x1B(B\r\n\x1B$B\x24\x24\x1B(B\nu"s);
}

TEST_CASE("utf8_to_iso2022jp refuses what ISO-2022-JP cannot say", "[charset][iso2022jp]") {
  for (const std::string& text : {"𠮷"s, "😀"s, "ﾃｽﾄ"s /* RFC 1468: no half-width katakana */,
                                 "〜"s /* U+301C: the CP932 reading of 0x2141 is ～ */, "\xEE\x80\x80"s /* PUA */,
                                 "ä"s, "a\x1B(Bb"s, "a\x0E" "b"s, "\xFF"s /* invalid UTF-8 */, "日本\xE3\x81"s}) {
    INFO(text);
    CHECK_FALSE(utf8_to_iso2022jp(text).has_value());
  }
}

TEST_CASE("decode(encode(x)) == x for Japanese text", "[charset][iso2022jp]") {
  for (const std::string& text : {"①㈱㍻～"s, "会議は１０時から。場所：本庁舎３階 ㈱髙﨑製作所 ①②③ ⅰⅱ Ⅰ Ⅱ ㍻ №"s,
                                 "全角カナ・ひらがな・漢字、記号（）「」【】￥＄％＃＆＊＠"s,
                                 "行1\r\n行2 ∥－￢ mixed ASCII\r\n"s}) {
    INFO(text);
    const auto encoded = utf8_to_iso2022jp(text);
    REQUIRE(encoded.has_value());
    for (char c : *encoded) CHECK(static_cast<unsigned char>(c) < 0x80);
    CHECK(to_utf8(*encoded, "ISO-2022-JP").utf8 == text);
  }
}

TEST_CASE("every CP932 character with a JIS position survives CP932 -> UTF-8 -> ISO-2022-JP -> UTF-8",
          "[charset][iso2022jp]") {
  std::size_t checked = 0;
  for (unsigned lead = 0x81; lead <= 0xFC; ++lead) {
    if (lead >= 0xA0 && lead <= 0xDF) continue;
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail) {
      if (trail == 0x7F) continue;
      const std::string sjis{static_cast<char>(lead), static_cast<char>(trail)};
      const auto decoded = to_utf8(sjis, "cp932");
      if (decoded.invalid_sequences != 0) continue;
      const auto encoded = utf8_to_iso2022jp(decoded.utf8);
      const bool user_defined = lead >= 0xF0 && lead <= 0xF9;  // private use: no JIS position
      INFO(std::hex << lead << " " << trail);
      if (user_defined) {
        CHECK_FALSE(encoded.has_value());
        continue;
      }
      REQUIRE(encoded.has_value());
      CHECK(to_utf8(*encoded, "iso-2022-jp").utf8 == decoded.utf8);
      ++checked;
    }
  }
  CHECK(checked > 7000);  // JIS X 0208 + NEC row 13 + NEC/IBM extensions
}
