// HTML charsets: BOM, declared label, <meta>, detection; Japanese text exact.
#include <catch2/catch.hpp>

#include "html/html_charset.h"
#include "html_test_support.h"
#include "japanese_fixtures.h"

using namespace mugai::test;
using mugai::sanitizers::html::sniff_meta_charset;

namespace {
std::string page(const std::string& head, const std::string& body) {
  return "<html><head>" + head + "</head><body><p>" + body + "</p></body></html>";
}
}  // namespace

TEST_CASE("<meta> charset is found in both forms", "[html][charset]") {
  CHECK(sniff_meta_charset("<meta charset=\"Shift_JIS\">") == "Shift_JIS");
  CHECK(sniff_meta_charset("<META CHARSET=euc-jp>") == "euc-jp");
  CHECK(sniff_meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-2022-jp\">") ==
        "iso-2022-jp");
  CHECK(sniff_meta_charset("<meta name=x content=y><meta charset='utf-8'>") == "utf-8");
  CHECK(sniff_meta_charset("<p>charset=utf-8</p>").empty());
  CHECK(sniff_meta_charset(std::string(5000, ' ') + "<meta charset=utf-8>").empty());  // first 4 KB only
}

TEST_CASE("Shift_JIS (CP932) HTML labelled only by <meta>", "[html][charset][japanese]") {
  const std::string html = page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">",
                                kJapaneseCp932);
  const mugai::Outcome out = run_html(html, "");
  CHECK(out.action == mugai::Action::converted);
  CHECK(out.bytes == kJapanese + "\n");
  CHECK(out.reason == "HTML converted to plain text (from Shift_JIS)");
  CHECK_FALSE(has_finding(out, "charset.unknown-label"));
}

TEST_CASE("ISO-2022-JP HTML with NEC row 13, declared or by <meta>", "[html][charset][japanese]") {
  const std::string with_meta = page("<meta charset=\"iso-2022-jp\">", kJapaneseIso2022Jp);
  CHECK(html_text(with_meta, "") == kJapanese + "\n");
  const std::string bare = page("", kJapaneseIso2022Jp);
  CHECK(html_text(bare, "ISO-2022-JP") == kJapanese + "\n");
  CHECK(html_text(bare, "") == kJapanese + "\n");  // detected by its escapes
}

TEST_CASE("EUC-JP and unlabelled CP932 HTML are detected", "[html][charset][japanese]") {
  CHECK(html_text(page("", kEucJpSample), "") == "日本語テキスト\n");
  CHECK(html_text(page("", kJapaneseCp932), "") == kJapanese + "\n");
}

TEST_CASE("the transport label wins over <meta>, the meta cannot switch the parser", "[html][charset][japanese]") {
  // UTF-8 bytes that claim Shift_JIS inside: the Content-Type says UTF-8, which is the truth.
  const std::string html = page("<meta charset=\"shift_jis\">", kJapanese);
  const mugai::Outcome out = run_html(html, "utf-8");
  CHECK(out.bytes == kJapanese + "\n");
  CHECK(out.reason == "HTML converted to plain text");
}

TEST_CASE("an unknown declared label falls back to <meta> with a finding", "[html][charset][japanese]") {
  const std::string html = page("<meta charset=\"shift_jis\">", kJapaneseCp932);
  const mugai::Outcome out = run_html(html, "x-unknown-charset");
  CHECK(out.bytes == kJapanese + "\n");
  const auto f = finding(out, "charset.unknown-label");
  REQUIRE(f);
  CHECK(f->detail.find("x-unknown-charset") != std::string::npos);
}

TEST_CASE("an unknown <meta> label is reported and detection decides", "[html][charset][japanese]") {
  const mugai::Outcome out = run_html(page("<meta charset=\"klingon\">", kJapaneseCp932), "");
  CHECK(out.bytes == kJapanese + "\n");
  CHECK(has_finding(out, "charset.unknown-label"));
}

TEST_CASE("a UTF-8 byte-order mark decides and disappears", "[html][charset]") {
  CHECK(html_text("\xEF\xBB\xBF<p>" + kJapanese + "</p>", "shift_jis") == kJapanese + "\n");
}

TEST_CASE("UTF-16 HTML with a byte-order mark", "[html][charset]") {
  const std::string le = std::string("\xFF\xFE<\0p\0>\0B\x30\x93\x30", 12);  // <p>あん
  CHECK(html_text(le, "") == "あん\n");
  const std::string be = std::string("\xFE\xFF\0<\0p\0>\x30\x42", 10);
  CHECK(html_text(be, "iso-8859-1") == "あ\n");
}
