// TextSanitizer end to end: charsets, line ends, control characters, bidi, actions and reasons.
#include <catch2/catch.hpp>

#include "sanitizer_test_support.h"
#include "text/text_sanitizer.h"

using mugai::Action;
using mugai::Outcome;
using mugai::TypeClass;
using mugai::sanitizers::text::TextSanitizer;
using namespace mugai::test;

namespace {

const std::string kJapanese = "お知らせ：会議は①番会議室です。㈱テスト";
const std::string kCp932 = from_hex(
    "82 A8 92 6D 82 E7 82 B9 81 46 89 EF 8B 63 82 CD 87 40 94 D4 89 EF 8B 63 8E BA 82 C5 82 B7 81 42 87 8A 83 "
    "65 83 58 83 67");
// Outlook's ISO-2022-JP: NEC row 13 (① = 2D21, ㈱ = 2D6A) inside ESC $ B.
const std::string kIso2022Jp = "\x1B$B$*CN$i$;!'2q5D$O-!HV2q5D<<$G$9!#-j%F%9%H\x1B(B";

Outcome run_text(std::string_view bytes, std::string charset = "", mugai::ModuleOptions options = {},
                 std::string_view action = "keep") {
  TestContext test;
  const TextSanitizer module;
  const mugai::Part part = make_part(bytes, std::move(charset), "text/plain", TypeClass::text);
  return module.run(part, action, options, test.context);
}

}  // namespace

TEST_CASE("text module claims plain text only, for keep and to-text", "[text]") {
  const TextSanitizer module;
  mugai::FileType type;
  type.cls = TypeClass::text;
  CHECK(module.handles(type));
  type.cls = TypeClass::html;
  CHECK_FALSE(module.handles(type));
  type.cls = TypeClass::calendar;
  CHECK_FALSE(module.handles(type));
  CHECK(module.supports("keep"));
  CHECK(module.supports("to-text"));
  CHECK_FALSE(module.supports("flatten"));
  CHECK(module.name() == "text");
}

TEST_CASE("UTF-8 text is kept byte for byte", "[text]") {
  const std::string body = "こんにちは\n\tインデント\nHello ☃ 𠮷\n";
  const Outcome out = run_text(body, "utf-8");
  CHECK(out.action == Action::kept);
  CHECK(out.bytes == body);
  CHECK(out.content_type == "text/plain");
  CHECK(out.charset == "utf-8");
  CHECK(out.reason == "UTF-8 text kept unchanged");
  CHECK(out.findings.empty());
  CHECK(out.extracted.empty());
}

TEST_CASE("ISO-2022-JP with NEC row 13 becomes exact UTF-8 and stays 'kept'", "[text][japanese]") {
  const Outcome out = run_text(kIso2022Jp + "\r\n", "ISO-2022-JP");
  CHECK(out.action == Action::kept);
  CHECK(out.bytes == kJapanese + "\n");
  CHECK(out.reason == "ISO-2022-JP text normalised to UTF-8");
  CHECK(out.findings.empty());
}

TEST_CASE("Shift_JIS label with CP932 bytes (① ㈱) becomes exact UTF-8", "[text][japanese]") {
  for (const char* label : {"Shift_JIS", "shift_jis", "windows-31j", "CP932"}) {
    CAPTURE(label);
    const Outcome out = run_text(kCp932, label);
    CHECK(out.action == Action::kept);
    CHECK(out.bytes == kJapanese);
    CHECK(out.reason == "Shift_JIS text normalised to UTF-8");
  }
}

TEST_CASE("EUC-JP text is decoded", "[text][japanese]") {
  const Outcome out = run_text(from_hex("C6 FC CB DC B8 EC A5 C6 A5 AD A5 B9 A5 C8"), "euc-jp");
  CHECK(out.action == Action::kept);
  CHECK(out.bytes == "日本語テキスト");
  CHECK(out.reason == "EUC-JP text normalised to UTF-8");
}

TEST_CASE("an unknown charset label falls back to detection and is reported", "[text][japanese]") {
  const Outcome out = run_text(kCp932, "x-made-up-charset");
  CHECK(out.bytes == kJapanese);
  const auto f = finding(out, "charset.unknown-label");
  REQUIRE(f);
  CHECK(f->detail.find("x-made-up-charset") != std::string::npos);
  CHECK(f->detail.find("Shift_JIS") != std::string::npos);
}

TEST_CASE("a label that cannot describe the bytes is overridden and reported", "[text][japanese]") {
  const Outcome out = run_text(kCp932, "us-ascii");
  CHECK(out.bytes == kJapanese);
  CHECK(has_finding(out, "charset.unknown-label"));
}

TEST_CASE("unlabelled ISO-2022-JP is detected without a finding", "[text][japanese]") {
  const Outcome out = run_text(kIso2022Jp, "");
  CHECK(out.bytes == kJapanese);
  CHECK_FALSE(has_finding(out, "charset.unknown-label"));
  CHECK(out.action == Action::kept);
}

TEST_CASE("leading byte-order marks are dropped silently", "[text]") {
  const Outcome out = run_text("\xEF\xBB\xBF\xEF\xBB\xBFtext\xEF\xBB\xBFmid", "utf-8");
  CHECK(out.bytes == "text\xEF\xBB\xBFmid");
  CHECK(out.action == Action::kept);
}

TEST_CASE("CRLF and bare CR become LF without counting as sanitising", "[text]") {
  const Outcome out = run_text("one\r\ntwo\rthree\n\r\nfour", "us-ascii");
  CHECK(out.bytes == "one\ntwo\nthree\n\nfour");
  CHECK(out.action == Action::kept);
  CHECK(out.reason == "US-ASCII text kept unchanged");
}

TEST_CASE("control characters are removed and counted, TAB and LF stay", "[text]") {
  std::string body = "a";
  body += '\0';
  body += "b\x1B[31mred\x7F\tTAB\x0C\x0B end\n";
  body += "C1:\xC2\x85\xC2\x9B!";
  const Outcome out = run_text(body, "utf-8");
  CHECK(out.bytes == "ab[31mred\tTAB end\nC1:!");
  CHECK(out.action == Action::sanitized);
  const auto f = finding(out, "text.control-characters");
  REQUIRE(f);
  CHECK(f->detail == "7 control characters removed");
  CHECK(out.reason == "UTF-8 text sanitised; 7 control characters removed");
}

TEST_CASE("bidi overrides are kept but reported", "[text]") {
  const std::string body = "請求書\u202Efdp.exe と \u2067isolate\u2069 と RLM\u200F";
  const Outcome out = run_text(body, "utf-8");
  CHECK(out.bytes == body);
  CHECK(out.action == Action::kept);
  const auto f = finding(out, "text.bidi-control");
  REQUIRE(f);
  CHECK(f->detail.starts_with("3 bidirectional control characters"));
}

TEST_CASE("undecodable bytes become U+FFFD and make the part sanitised", "[text]") {
  const Outcome out = run_text("ok \xFF\xFE end", "utf-8");
  CHECK(out.action == Action::sanitized);
  CHECK(out.bytes.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(has_finding(out, "charset.invalid-sequences"));
}

TEST_CASE("to-text gives the same result as keep", "[text]") {
  const Outcome keep = run_text(kCp932, "shift_jis", {}, "keep");
  const Outcome to_text = run_text(kCp932, "shift_jis", {}, "to-text");
  CHECK(keep.bytes == to_text.bytes);
  CHECK(keep.action == to_text.action);
}

TEST_CASE("an unsupported action removes the part with a reason", "[text]") {
  const Outcome out = run_text("hello", "utf-8", {}, "flatten");
  CHECK(out.action == Action::removed);
  CHECK(out.reason.find("flatten") != std::string::npos);
  CHECK(out.bytes.empty());
}

TEST_CASE("a passed deadline removes the part with a limit finding", "[text][limits]") {
  TestContext test(std::chrono::milliseconds(-1));
  const TextSanitizer module;
  const mugai::Part part = make_part("hello", "utf-8", "text/plain", TypeClass::text);
  const Outcome out = module.run(part, "keep", {}, test.context);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("defang_urls option rewrites URLs, without it they stay", "[text][defang]") {
  const std::string body = "詳細は https://www.city.example.lg.jp/info/a.html をご覧ください。\n";
  const Outcome plain = run_text(body, "utf-8");
  CHECK(plain.bytes == body);
  const Outcome defanged = run_text(body, "utf-8", {{"defang_urls", "true"}});
  CHECK(defanged.bytes == "詳細は hxxps://www[.]city[.]example[.]lg[.]jp/info/a.html をご覧ください。\n");
  CHECK(defanged.action == Action::sanitized);
  CHECK(has_finding(defanged, "text.url-defanged"));
  const Outcome off = run_text(body, "utf-8", {{"defang_urls", "false"}});
  CHECK(off.bytes == body);
}
