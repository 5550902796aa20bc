// The label -> converter map: every spelling mail uses must reach the converter we chose.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/charset/charset.h"

using namespace std::string_literals;
using mugai::charset::converter_for_label;
using mugai::charset::to_utf8;

namespace {
// ① ㈱ ㍻ (NEC row 13), 髙 (IBM extension 0xFBFC), 﨑 (IBM extension 0xFAB1), ～ (0x8160).
const std::string kCp932Bytes = "\x87\x40\x87\x8A\x87\x7E\xFB\xFC\xFA\xB1\x81\x60"s;
const std::string kCp932Text = "①㈱㍻髙﨑～";
}  // namespace

TEST_CASE("every Shift_JIS spelling decodes with CP932 semantics", "[charset][labels]") {
  for (const char* label : {"Shift_JIS", "shift_jis", "SHIFT-JIS", "shift-jis", "sjis", "x-sjis", "windows-31j",
                            "Windows-31J", "cp932", "CP932", "ms932", "MS_Kanji", "ms-kanji", "csShiftJIS",
                            " \"Shift_JIS\" "}) {
    INFO(label);
    const auto decoded = to_utf8(kCp932Bytes, label);
    CHECK(decoded.utf8 == kCp932Text);
    CHECK(decoded.converter == "ibm-943_P15A-2003");
    CHECK(decoded.label_known);
    CHECK(decoded.invalid_sequences == 0);
  }
}

TEST_CASE("ISO-2022-JP spellings share one converter", "[charset][labels]") {
  for (const char* label : {"ISO-2022-JP", "iso-2022-jp", "csISO2022JP", "iso-2022-jp-1", "ISO-2022-JP-2",
                            "iso-2022-jp-3", "iso_2022_jp", "CP50221", "iso2022jp"}) {
    INFO(label);
    CHECK(converter_for_label(label) == "ISO_2022,locale=ja,version=2");
  }
}

TEST_CASE("EUC-JP spellings, eucJP-ms included", "[charset][labels]") {
  for (const char* label : {"EUC-JP", "euc-jp", "x-euc-jp", "eucJP-ms", "eucjp", "EUC_JP"}) {
    INFO(label);
    CHECK(converter_for_label(label) == "euc-jp-2007");
  }
}

TEST_CASE("ICU's alias table serves the rest", "[charset][labels]") {
  CHECK(converter_for_label("utf-8") == "UTF-8");
  CHECK(converter_for_label("UTF8") == "UTF-8");
  CHECK(converter_for_label("us-ascii") == "US-ASCII");
  CHECK(converter_for_label("windows-1251") != "");
  CHECK(converter_for_label("ISO-8859-15") != "");
  CHECK(converter_for_label("big5") != "");
  CHECK(converter_for_label("utf-16") == "UTF-16");
  // WHATWG supersets.
  CHECK(converter_for_label("iso-8859-1") == converter_for_label("windows-1252"));
  CHECK(converter_for_label("gb2312") == "gb18030");
  CHECK(converter_for_label("ks_c_5601-1987") == converter_for_label("euc-kr"));
}

TEST_CASE("unknown, empty and option-smuggling labels fall back to detection", "[charset][labels]") {
  for (const std::string& label : {"x-unknown"s, ""s, "ibm-943,swaplfnl"s, "UTF-8@x"s, std::string(500, 'a'),
                                  "utf-8\0"s, "\x82\xA0"s}) {
    INFO(label);
    CHECK(converter_for_label(label).empty());
    const auto decoded = to_utf8("\x82\xA0"s, label);  // あ in CP932
    CHECK_FALSE(decoded.label_known);
    CHECK(decoded.utf8 == "あ");
  }
}
