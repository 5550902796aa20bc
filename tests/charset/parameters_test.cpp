// parse_parameters: RFC 2045 parameters, RFC 2231, RFC 2047 in quotes, raw 8-bit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"

using namespace std::string_literals;
using mugai::charset::parse_parameters;

namespace {
bool has_problem(const mugai::charset::ParsedParameters& parsed, const std::string& fragment) {
  return std::any_of(parsed.problems.begin(), parsed.problems.end(),
                     [&](const std::string& problem) { return problem.find(fragment) != std::string::npos; });
}
}  // namespace

TEST_CASE("value and plain parameters", "[charset][parameters]") {
  const auto parsed = parse_parameters("Text/PLAIN; Charset=\"ISO-2022-JP\"; format=flowed;\r\n\tdelsp=yes");
  CHECK(parsed.value == "text/plain");
  CHECK(parsed.params.at("charset") == "ISO-2022-JP");
  CHECK(parsed.params.at("format") == "flowed");
  CHECK(parsed.params.at("delsp") == "yes");
  CHECK(parsed.problems.empty());
}

TEST_CASE("quoted strings, escapes, comments, odd spacing", "[charset][parameters]") {
  const auto parsed = parse_parameters(
      "attachment (a comment; with semicolon) ; filename = \"a \\\"quoted\\\" \\\\ name;.txt\" ;"
      " x=(lead comment)tok ; charset=us-ascii (Plain text);;");
  CHECK(parsed.value == "attachment");
  CHECK(parsed.params.at("filename") == "a \"quoted\" \\ name;.txt");
  CHECK(parsed.params.at("x") == "tok");
  CHECK(parsed.params.at("charset") == "us-ascii");
  CHECK(parsed.problems.empty());
  // Unquoted file names with spaces exist in the wild; kept whole.
  CHECK(parse_parameters("attachment; filename=my file (1).pdf").params.at("filename") == "my file (1).pdf");
}

TEST_CASE("RFC 2231 extended value, UTF-8", "[charset][parameters]") {
  const auto parsed = parse_parameters(
      "attachment; filename*=UTF-8''%E6%B7%BB%E4%BB%98%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB%2E%64%6F%63%78");
  CHECK(parsed.params.at("filename") == "添付ファイル.docx");
  CHECK(parsed.problems.empty());
  CHECK(parse_parameters("a; name*=utf-8'ja'%E6%B7%BB").params.at("name") == "添");
  CHECK(parse_parameters("a; name*=\"utf-8''%E6%B7%BB\"").params.at("name") == "添");  // quoted anyway
}

TEST_CASE("RFC 2231 continuations are joined as bytes before decoding", "[charset][parameters]") {
  // UTF-8 split inside 添 and ファ, segments out of order.
  const auto utf8 = parse_parameters(
      "attachment; filename*1*=%BB%E4%BB%98%E3%83; filename*0*=UTF-8''%E6%B7;"
      " filename*2*=%95%E3%82%A1%E3%82%A4%E3%83%AB; filename*3=.docx");
  CHECK(utf8.params.at("filename") == "添付ファイル.docx");
  CHECK(utf8.problems.empty());
  // ISO-2022-JP (資料.pdf) split inside ESC $ B and inside 料: Python's email garbles this.
  const auto jis = parse_parameters(
      "attachment;\r\n filename*0*=iso-2022-jp'ja'%1B%24;\r\n filename*1*=%42%3B%71%4E;\r\n"
      " filename*2*=%41%1B%28%42.pdf");
  CHECK(jis.params.at("filename") == "資料.pdf");
  CHECK(jis.problems.empty());
  // Unencoded segments mixed in, quoted and not.
  CHECK(parse_parameters("a; name*0*=UTF-8''%E6%B7%BB; name*1=\"-x \"; name*2=y").params.at("name") == "添-x y");
  // Plain continuations without any encoding.
  CHECK(parse_parameters("a; name*0=\"long \"; name*1=\"name.txt\"").params.at("name") == "long name.txt");
}

TEST_CASE("RFC 2231 damage is repaired and recorded", "[charset][parameters]") {
  const auto missing = parse_parameters("a; name*0=abc; name*2=ghi");
  CHECK(missing.params.at("name") == "abcghi");
  CHECK(has_problem(missing, "missing"));
  const auto duplicate_segment = parse_parameters("a; name*0=abc; name*0=xyz");
  CHECK(duplicate_segment.params.at("name") == "abc");
  CHECK(has_problem(duplicate_segment, "duplicate"));
  const auto bad_percent = parse_parameters("a; name*=utf-8''100%zz");
  CHECK(bad_percent.params.at("name") == "100%zz");
  CHECK(has_problem(bad_percent, "%-escape"));
  const auto no_charset = parse_parameters("a; name*=%E6%B7%BB");
  CHECK(no_charset.params.at("name") == "添");
  CHECK(has_problem(no_charset, "charset'language'"));
  const auto unknown = parse_parameters("a; name*=x-bogus''%87%40");
  CHECK(unknown.params.at("name") == "①");  // detection
  CHECK(has_problem(unknown, "unknown charset"));
  const auto invalid = parse_parameters("a; name*=utf-8''%FF");
  CHECK(invalid.params.at("name") == "\xEF\xBF\xBD");
  CHECK(has_problem(invalid, "undecodable"));
  const auto malformed_name = parse_parameters("a; name*x=1; ok=2");
  CHECK_FALSE(malformed_name.params.contains("name"));
  CHECK(malformed_name.params.at("ok") == "2");
  CHECK(has_problem(malformed_name, "malformed parameter name"));
}

TEST_CASE("name= and name*= together: the RFC 2231 value wins", "[charset][parameters]") {
  const auto parsed = parse_parameters("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E6%B7%BB.pdf");
  CHECK(parsed.params.at("filename") == "添.pdf");
  CHECK(parsed.problems.empty());
}

TEST_CASE("RFC 2047 words inside quoted values (Outlook, Becky!)", "[charset][parameters]") {
  CHECK(parse_parameters("application/pdf; name=\"=?ISO-2022-JP?B?GyRCO3FOQRsoQi5wZGY=?=\"").params.at("name") ==
        "資料.pdf");
  // Split across two words inside the escape-free middle of 料.
  CHECK(parse_parameters("application/pdf; name=\"=?ISO-2022-JP?B?GyRCO3E=?= =?ISO-2022-JP?B?TkEbKEIucGRm?=\"")
            .params.at("name") == "資料.pdf");
  CHECK(parse_parameters("a; name==?UTF-8?B?5re75LuY44OV44Kh44Kk44OrLmRvY3g=?=").params.at("name") ==
        "添付ファイル.docx");
}

TEST_CASE("raw Shift_JIS in quoted values, including the 0x5C trail byte", "[charset][parameters]") {
  const auto raw = parse_parameters("attachment; filename=\"\x8E\x91\x97\xBF.doc\""s);
  CHECK(raw.params.at("filename") == "資料.doc");
  CHECK(has_problem(raw, "raw 8-bit"));
  // 表 = 0x95 0x5C: the 0x5C must not escape the next character, nor the closing quote.
  CHECK(parse_parameters("attachment; filename=\"\x95\x5C.txt\"; size=10"s).params.at("filename") == "表.txt");
  const auto at_end = parse_parameters("attachment; filename=\"\x95\x5C\"; size=10"s);
  CHECK(at_end.params.at("filename") == "表");
  CHECK(at_end.params.at("size") == "10");
  // Raw EUC-JP and raw UTF-8 decode too.
  CHECK(parse_parameters("a; name=\"\xBB\xF1\xCE\xC1.doc\""s).params.at("name") == "資料.doc");
  CHECK(parse_parameters("a; name=\"資料.doc\"").params.at("name") == "資料.doc");
}

TEST_CASE("duplicates: first wins, recorded, names lower-cased", "[charset][parameters]") {
  const auto parsed = parse_parameters("attachment; FileName=\"harmless.txt\"; filename=\"evil.exe\"");
  CHECK(parsed.params.at("filename") == "harmless.txt");
  CHECK(parsed.params.size() == 1);
  CHECK(has_problem(parsed, "duplicate parameter 'filename'"));
}

TEST_CASE("junk is dropped with a problem, never a crash", "[charset][parameters]") {
  CHECK(parse_parameters("").value.empty());
  CHECK(parse_parameters(";;;").params.empty());
  const auto no_value = parse_parameters("text/plain; flag; charset=utf-8");
  CHECK(no_value.params.at("charset") == "utf-8");
  CHECK(has_problem(no_value, "without value"));
  const auto unterminated = parse_parameters("text/plain; name=\"abc");
  CHECK(unterminated.params.at("name") == "abc");
  CHECK(has_problem(unterminated, "unterminated"));
  const auto trailing = parse_parameters("text/plain; name=\"abc\"def; x=1");
  CHECK(trailing.params.at("name") == "abc");
  CHECK(trailing.params.at("x") == "1");
  CHECK(has_problem(trailing, "after the quoted value"));
  const auto nameless = parse_parameters("text/plain; =x; y=2");
  CHECK(nameless.params.at("y") == "2");
  CHECK(has_problem(nameless, "without a name"));
  CHECK(parse_parameters("text/plain (unclosed comment; x=1").value == "text/plain");
}

TEST_CASE("control characters in values are replaced and recorded", "[charset][parameters]") {
  const auto parsed = parse_parameters("a; name*=utf-8''evil%0D%0Ax-header%3A1%00.txt");
  CHECK(parsed.params.at("name") == "evil\xEF\xBF\xBD\xEF\xBF\xBDx-header:1\xEF\xBF\xBD.txt");
  CHECK(has_problem(parsed, "control characters"));
}

TEST_CASE("names and the value stay printable ASCII", "[charset][parameters]") {
  const auto parsed = parse_parameters("text/pl\x82\xA0in; na\xFFme=1; n@me=2; good=3"s);
  CHECK(parsed.params.size() == 1);
  CHECK(parsed.params.at("good") == "3");
  CHECK(has_problem(parsed, "malformed parameter name"));
  CHECK(has_problem(parsed, "non-ASCII"));
  CHECK(mugai::charset::is_valid_utf8(parsed.value));
}
