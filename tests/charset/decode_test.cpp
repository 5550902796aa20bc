// to_utf8 on real byte sequences of each charset (bytes written out, not produced by our code).
#include <catch2/catch.hpp>

#include <string>

#include "mugai/charset/charset.h"

using namespace std::string_literals;
using mugai::charset::is_valid_utf8;
using mugai::charset::to_utf8;

TEST_CASE("CP932: NEC row 13, NEC-selected and IBM extensions, 0x8160", "[charset][decode]") {
  // NEC-selected 髙 0xEEE0 and 﨑 0xED95 (what Python's cp932 writes) and IBM 0xFBFC / 0xFAB1.
  CHECK(to_utf8("\x87\x40\x87\x8A\x87\x7E\xEE\xE0\xED\x95\x81\x60"s, "Shift_JIS").utf8 == "①㈱㍻髙﨑～");
  CHECK(to_utf8("\xFB\xFC\xFA\xB1"s, "Shift_JIS").utf8 == "髙﨑");
  // 0x8160 is U+FF5E FULLWIDTH TILDE, never U+301C WAVE DASH (documented choice).
  CHECK(to_utf8("\x81\x60"s, "shift_jis").utf8 == "\xEF\xBD\x9E");
  // Other CP932-vs-JIS differences: ∥ － ￢.
  CHECK(to_utf8("\x81\x61\x81\x7C\x81\xCA"s, "shift_jis").utf8 == "∥－￢");
  CHECK(to_utf8("\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67"s, "Shift_JIS").utf8 ==
        "日本語のテキスト");
  CHECK(to_utf8("\x8A\xBF\x8E\x9A\x82\xA9\x82\xC8\x83\x4A\x83\x69"s, "windows-31j").utf8 == "漢字かなカナ");
  CHECK(to_utf8("\xC3\xBD\xC4"s, "Shift_JIS").utf8 == "ﾃｽﾄ");  // half-width katakana
  // The ダメ文字 0x5C trail byte (表, ソ) is a trail byte, not a backslash.
  CHECK(to_utf8("\x95\x5C\x8E\xA6\x83\x5C"s, "Shift_JIS").utf8 == "表示ソ");
}

TEST_CASE("CP932: invalid bytes become U+FFFD and are counted", "[charset][decode]") {
  // 0x80 and 0xA0 (ICU would write U+001A), a lead byte with an ASCII trail, a lone final lead.
  const auto decoded = to_utf8("a\x80" "b\xA0" "c\x81\x20" "d\x82"s, "Shift_JIS");
  CHECK(decoded.invalid_sequences == 4);
  CHECK(decoded.utf8.find('\x1A') == std::string::npos);
  CHECK(decoded.utf8 == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD d\xEF\xBF\xBD");
  CHECK(is_valid_utf8(decoded.utf8));
}

TEST_CASE("EUC-JP: row 13, NEC-selected, JIS X 0212, half-width kana", "[charset][decode]") {
  CHECK(to_utf8("\xAD\xA1\xAD\xEA\xAD\xDF\xA1\xC1"s, "EUC-JP").utf8 == "①㈱㍻～");
  CHECK(to_utf8("\xFC\xE2\xF9\xF5"s, "euc-jp").utf8 == "髙﨑");
  CHECK(to_utf8("\xC6\xFC\xCB\xDC\xB8\xEC\xA4\xCE\xA5\xC6\xA5\xAD\xA5\xB9\xA5\xC8"s, "x-euc-jp").utf8 ==
        "日本語のテキスト");
  CHECK(to_utf8("\x8E\xC3\x8E\xBD\x8E\xC4"s, "eucJP-ms").utf8 == "ﾃｽﾄ");
  CHECK(to_utf8("\x8F\xA2\xAF"s, "euc-jp").utf8 == "˘");  // JIS X 0212 0x222F
  const auto broken = to_utf8("\xA4"s, "euc-jp");
  CHECK(broken.invalid_sequences == 1);
  CHECK(broken.utf8 == "\xEF\xBF\xBD");
}

TEST_CASE("UTF-8: valid passes unchanged, invalid sequences are replaced and counted", "[charset][decode]") {
  const std::string text = "①㈱㍻髙﨑～〜𠮷😀";
  CHECK(to_utf8(text, "utf-8").utf8 == text);
  CHECK(to_utf8(text, "utf-8").invalid_sequences == 0);
  CHECK(to_utf8("\xEF\xBB\xBF" "abc"s, "UTF-8").utf8 == "abc");  // BOM dropped
  // Stray continuation, overlong '/', CESU surrogate, truncated sequence.
  const auto decoded = to_utf8("a\x80" "b\xC0\xAF" "c\xED\xA0\x80" "d\xE3\x81"s, "utf-8");
  CHECK(decoded.invalid_sequences == 7);
  CHECK(is_valid_utf8(decoded.utf8));
  CHECK(decoded.utf8.starts_with("a\xEF\xBF\xBD" "b"));
  CHECK(decoded.utf8.ends_with("d\xEF\xBF\xBD"));
}

TEST_CASE("other charsets by name through ICU", "[charset][decode]") {
  CHECK(to_utf8("\xC4\xE3\xBA\xC3\x95\x34\xB2\x35"s, "gb18030").utf8 == "你好𠮷");
  CHECK(to_utf8("\xC4\xE3\xBA\xC3"s, "gb2312").utf8 == "你好");
  CHECK(to_utf8("\xC4\xE3\xBA\xC3"s, "GBK").utf8 == "你好");
  CHECK(to_utf8("\xA7\x41\xA6\x6E"s, "big5").utf8 == "你好");
  CHECK(to_utf8("\xC7\xD1\xB1\xB9"s, "euc-kr").utf8 == "한국");
  CHECK(to_utf8("\xC7\xD1\xB1\xB9"s, "ks_c_5601-1987").utf8 == "한국");
  CHECK(to_utf8("\x63\x61\x66\xE9\x20\x93\x71\x94"s, "windows-1252").utf8 == "café “q”");
  CHECK(to_utf8("\x63\x61\x66\xE9\x20\x93\x71\x94"s, "iso-8859-1").utf8 == "café “q”");  // WHATWG
  CHECK(to_utf8("\x5A\xFC\x72\x69\x63\x68"s, "iso-8859-15").utf8 == "Zürich");
  CHECK(to_utf8("\xC5\xEB\xEB\xDC\xE4\xE1"s, "iso-8859-7").utf8 == "Ελλάδα");
  CHECK(to_utf8("\xF0\xD2\xC9\xD7\xC5\xD4"s, "koi8-r").utf8 == "Привет");
  CHECK(to_utf8("\xFE\xFF\x30\x42\xD8\x3D\xDE\x00"s, "utf-16").utf8 == "あ😀");
  CHECK(to_utf8("\xFF\xFE\x42\x30\x3D\xD8\x00\xDE"s, "utf-16").utf8 == "あ😀");
  CHECK(to_utf8("\x42\x30\x3D\xD8\x00\xDE"s, "utf-16le").utf8 == "あ😀");
  const auto lone = to_utf8("\x30\x42\xD8\x3D"s, "utf-16be");  // unpaired high surrogate
  CHECK(lone.utf8 == "あ\xEF\xBF\xBD");
  CHECK(lone.invalid_sequences == 1);
  CHECK(to_utf8("plain", "us-ascii").utf8 == "plain");
}

TEST_CASE("bytes a 7-bit label cannot describe are decoded by detection, and flagged", "[charset][decode]") {
  // Raw CP932 labelled us-ascii (RFC 2045's default) and labelled ISO-2022-JP without escapes.
  for (const char* label : {"us-ascii", "ISO-2022-JP"}) {
    INFO(label);
    const auto decoded = to_utf8("\x93\xFA\x96\x7B\x8C\xEA"s, label);
    CHECK(decoded.utf8 == "日本語");
    CHECK(decoded.label_known);
    CHECK(decoded.label_overridden);
    CHECK(decoded.converter == "ibm-943_P15A-2003");
  }
  // ISO-2022-JP sent without a charset is read as such too.
  const auto jis = to_utf8("\x1B$B\x46\x7C\x4B\x5C\x38\x6C\x1B(B"s, "us-ascii");
  CHECK(jis.utf8 == "日本語");
  CHECK(jis.label_overridden);
  // Honest labels are not overridden.
  CHECK_FALSE(to_utf8("abc", "us-ascii").label_overridden);
  CHECK_FALSE(to_utf8("\x1B$B\x24\x22\x1B(B"s, "iso-2022-jp").label_overridden);
}

TEST_CASE("is_valid_utf8 follows RFC 3629", "[charset][decode]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("abc 日本 😀"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"s));        // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"s));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"s));          // overlong
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"s));      // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xB0\x80"s));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xE3\x81"s));          // truncated
  CHECK_FALSE(is_valid_utf8("\xFF"s));
}
