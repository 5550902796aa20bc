// decode_header_text / encode_header_text.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"

using namespace std::string_literals;
using mugai::charset::decode_header_text;
using mugai::charset::encode_header_text;

TEST_CASE("RFC 2047 B and Q words", "[charset][header]") {
  CHECK(decode_header_text("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") == "日本語");
  CHECK(decode_header_text("=?iso-2022-jp?b?GyRCLSEtahsoQg==?=") == "①㈱");  // NEC row 13
  CHECK(decode_header_text("=?Shift_JIS?B?h0CHig==?=") == "①㈱");            // CP932 by label
  CHECK(decode_header_text("=?UTF-8?Q?=E6=97=A5=E6=9C=AC=E8=AA=9E?=") == "日本語");
  CHECK(decode_header_text("=?utf-8?q?a_b_c?=") == "a b c");  // '_' is a space
  CHECK(decode_header_text("=?UTF-8?B?5pel5pys6Kqe?=") == "日本語");
  CHECK(decode_header_text("=?UTF-8?B?5pel5pys6Kqe?=") == "日本語");
  CHECK(decode_header_text("=?utf-8?B?5pel5pys6Kqe") == "=?utf-8?B?5pel5pys6Kqe");  // unterminated
}

TEST_CASE("RFC 2231 language suffix in an encoded word", "[charset][header]") {
  CHECK(decode_header_text("=?ISO-2022-JP*ja?B?GyRCRnxLXDhsGyhC?=") == "日本語");
  CHECK(decode_header_text("=?utf-8*en-US?Q?hello?=") == "hello");
}

TEST_CASE("adjacent words: whitespace dropped, same-charset bytes joined", "[charset][header]") {
  // ISO-2022-JP split after the first byte of 日: neither half decodes alone.
  CHECK(decode_header_text("=?ISO-2022-JP?B?GyRCRg==?= =?ISO-2022-JP?B?fEtcOGwbKEI=?=") == "日本語");
  // UTF-8 split inside 本, folded across lines, and different label spellings of one charset.
  CHECK(decode_header_text("=?UTF-8?B?5pel5g==?=\r\n\t=?utf-8?B?nKzoqp4=?=") == "日本語");
  CHECK(decode_header_text("=?UTF-8?Q?=E6=97?= =?UTF-8?Q?=A5?=") == "日");
  // Different charsets: still no space between them, each decoded alone.
  CHECK(decode_header_text("=?UTF-8?Q?a?=  =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") == "a日本語");
  // Whitespace next to ordinary text is kept.
  CHECK(decode_header_text("Re: =?UTF-8?Q?a?= =?UTF-8?Q?b?= end") == "Re: ab end");
  CHECK(decode_header_text("x =?UTF-8?Q?a?=") == "x a");
}

TEST_CASE("malformed words stay literal", "[charset][header]") {
  CHECK(decode_header_text("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");      // unknown encoding
  CHECK(decode_header_text("=?UTF-8?B?!!!!?=") == "=?UTF-8?B?!!!!?=");    // not base64
  CHECK(decode_header_text("=?UTF-8?B?QUJDR?=") == "=?UTF-8?B?QUJDR?=");  // 4n+1 characters
  CHECK(decode_header_text("=??B?QUJD?=") == "=??B?QUJD?=");              // no charset
  CHECK(decode_header_text("=?UTF-8?Q?a b?=") == "=?UTF-8?Q?a b?=");      // space inside
  CHECK(decode_header_text("a =?= b ?= c") == "a =?= b ?= c");
  // A malformed word does not stop the next one from decoding.
  CHECK(decode_header_text("=?UTF-8?X?a?= =?UTF-8?Q?b?=") == "=?UTF-8?X?a?= b");
  // Unknown charset: the bytes are decoded by detection rather than dropped.
  CHECK(decode_header_text("=?x-unknown?B?h0CHig==?=") == "①㈱");
  // Missing base64 padding is tolerated (MUAs drop it).
  CHECK(decode_header_text("=?UTF-8?B?5pel5pys6Kqe5pel?=") == "日本語日");
  CHECK(decode_header_text("=?UTF-8?B?QUI?=") == "AB");
}

TEST_CASE("raw 8-bit and raw ISO-2022-JP outside words", "[charset][header]") {
  CHECK(decode_header_text("日本語 ok") == "日本語 ok");                                   // UTF-8
  CHECK(decode_header_text("\x93\xFA\x96\x7B\x8C\xEA ok"s) == "日本語 ok");                // CP932
  CHECK(decode_header_text("\x1B$B\x46\x7C\x4B\x5C\x38\x6C\x1B(B ok"s) == "日本語 ok");   // raw JIS
  CHECK(decode_header_text("\xC6\xFC\xCB\xDC\xB8\xEC\xA4\xCE\xA5\xC6\xA5\xAD\xA5\xB9\xA5\xC8"s) ==
        "日本語のテキスト");  // EUC-JP
}

TEST_CASE("folding is undone and control characters cannot be smuggled", "[charset][header]") {
  CHECK(decode_header_text("a\r\n b") == "a b");
  // CR LF decoded from a word would split the header on rebuild.
  const std::string decoded = decode_header_text("=?UTF-8?Q?a=0D=0ABcc:_x@evil?=");
  CHECK(decoded.find('\r') == std::string::npos);
  CHECK(decoded.find('\n') == std::string::npos);
  CHECK(decoded == "a\xEF\xBF\xBD\xEF\xBF\xBD" "Bcc: x@evil");
  CHECK(decode_header_text("=?UTF-8?Q?a=00b?=") == "a\xEF\xBF\xBD" "b");
  CHECK(decode_header_text("a\tb") == "a\tb");
}

namespace {

std::vector<std::string> lines_of(const std::string& value, const std::string& field) {
  std::vector<std::string> lines;
  const std::string full = field + ": " + value;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = full.find("\r\n", begin);
    lines.push_back(full.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 2;
  }
  return lines;
}

void check_encoded(const std::string& text, const std::string& field) {
  INFO(field << ": " << text);
  const std::string encoded = encode_header_text(text, field);
  for (char c : encoded) REQUIRE(static_cast<unsigned char>(c) < 0x80);
  const auto lines = lines_of(encoded, field);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(lines[i].size() <= 78);
    if (i > 0) CHECK((!lines[i].empty() && lines[i][0] == ' '));
    CHECK(lines[i].find_first_not_of(' ', i > 0 ? 1 : 0) != std::string::npos);  // no blank line
  }
  // Every encoded word is at most 75 characters.
  for (std::size_t pos = encoded.find("=?"); pos != std::string::npos;) {
    const std::size_t end = encoded.find("?=", pos + 10);
    REQUIRE(end != std::string::npos);
    CHECK(end + 2 - pos <= 75);
    pos = encoded.find("=?", end + 2);
  }
  CHECK(decode_header_text(encoded) == text);
}

}  // namespace

TEST_CASE("encode_header_text: plain ASCII that fits is unchanged", "[charset][header]") {
  CHECK(encode_header_text("Meeting at 10:00", "Subject") == "Meeting at 10:00");
  CHECK(encode_header_text("", "Subject") == "");
  const std::string long_ascii =
      "This is a long subject line that certainly does not fit into seventy-eight octets at all, no";
  const std::string folded = encode_header_text(long_ascii, "Subject");
  CHECK(folded.find("=?") == std::string::npos);
  CHECK(folded.find("\r\n ") != std::string::npos);
  check_encoded(long_ascii, "Subject");
}

TEST_CASE("encode_header_text: UTF-8 words, 7-bit, short lines, decodes back", "[charset][header]") {
  check_encoded("日本語の件名", "Subject");
  check_encoded("Re: 【重要】①㈱㍻～〜髙﨑 𠮷野家 😀😀😀 の会議について、本庁舎３階で行います。よろしくお願いします。",
                "Subject");
  check_encoded(std::string(300, 'x'), "Subject");  // unbreakable ASCII: encoded, not a long line
  check_encoded("contains =?utf-8?Q?x?= literally", "Subject");
  check_encoded("tab\tand  double  spaces " + std::string(80, 'y'), "Subject");
  check_encoded("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "X");
  check_encoded("日本語", std::string(70, 'F'));  // a very long field name
  for (std::size_t n = 1; n < 60; ++n) check_encoded(std::string(n, 'a') + "あいうえお😀かきくけこ", "Subject");
}

TEST_CASE("encode_header_text never splits a UTF-8 character across words", "[charset][header]") {
  const std::string text = "𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷";
  const std::string encoded = encode_header_text(text, "Subject");
  // Each word on its own must decode to whole characters.
  std::size_t words = 0;
  for (std::size_t pos = encoded.find("=?"); pos != std::string::npos;) {
    const std::size_t end = encoded.find("?=", pos + 10) + 2;
    const std::string word_text = decode_header_text(encoded.substr(pos, end - pos));
    CHECK(mugai::charset::is_valid_utf8(word_text));
    CHECK(word_text.find("\xEF\xBF\xBD") == std::string::npos);
    pos = encoded.find("=?", end);
    ++words;
  }
  CHECK(words > 1);
}
