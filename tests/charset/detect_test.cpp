// detect() and unlabelled decoding.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/charset/charset.h"

using namespace std::string_literals;
using mugai::charset::detect;
using mugai::charset::to_utf8;

TEST_CASE("detect: escapes, ASCII, UTF-8", "[charset][detect]") {
  CHECK(detect("\x1B$B\x24\x22\x1B(B"s) == "iso-2022-jp");
  CHECK(detect("\x1B(I\x31\x1B(B"s) == "iso-2022-jp");
  CHECK(detect("plain text\r\n") == "us-ascii");
  CHECK(detect("\x1B[31mred\x1B[0m"s) == "us-ascii");  // ANSI colours are not ISO-2022-JP
  CHECK(detect("") == "us-ascii");
  CHECK(detect("日本語のテキスト ①") == "utf-8");
}

TEST_CASE("detect: CP932 versus EUC-JP", "[charset][detect]") {
  // 日本語のテキスト in each.
  CHECK(detect("\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67"s) == "shift_jis");
  CHECK(detect("\xC6\xFC\xCB\xDC\xB8\xEC\xA4\xCE\xA5\xC6\xA5\xAD\xA5\xB9\xA5\xC8"s) == "euc-jp");
  // EUC-JP kana only: valid CP932 half-width katakana too, zero errors both ways; the
  // plausibility tie-break must still say EUC-JP (あいう).
  CHECK(detect("\xA4\xA2\xA4\xA4\xA4\xA6"s) == "euc-jp");
  // Row 13 in CP932 is invalid in EUC-JP.
  CHECK(detect("\x87\x40\x87\x8A"s) == "shift_jis");
  // A tie with nothing to tell them apart goes to CP932.
  CHECK(detect("\xE0\xA1"s) == "shift_jis");
}

TEST_CASE("detect: UTF-8 with a little damage stays UTF-8", "[charset][detect]") {
  // 日本語のテキスト cut in the middle of its last character (a size limit did it).
  const std::string cut = "日本語のテキスト"s.substr(0, 23);
  CHECK(detect(cut) == "utf-8");
  const auto decoded = to_utf8(cut, "");
  CHECK(decoded.utf8 == "日本語のテキス\xEF\xBF\xBD");
  CHECK_FALSE(decoded.label_known);
  CHECK(decoded.invalid_sequences == 1);
}

TEST_CASE("unlabelled bytes decode by detection", "[charset][detect]") {
  const auto sjis = to_utf8("\x87\x40\x87\x8A\x87\x7E\x81\x60"s, "");
  CHECK(sjis.utf8 == "①㈱㍻～");
  CHECK_FALSE(sjis.label_known);
  CHECK(sjis.converter == "ibm-943_P15A-2003");
  const auto euc = to_utf8("\xAD\xA1\xAD\xEA\xA4\xA2"s, "x-no-such-charset");
  CHECK(euc.utf8 == "①㈱あ");
  CHECK(euc.converter == "euc-jp-2007");
  // Arbitrary binary: some answer, valid UTF-8 out, errors counted.
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  const auto junk = to_utf8(binary, "");
  CHECK(mugai::charset::is_valid_utf8(junk.utf8));
  CHECK(junk.invalid_sequences > 0);
}
