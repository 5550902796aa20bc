// uuencoded and begin-base64 files inside text bodies: cut out, decoded, handed back.
#include <catch2/catch.hpp>

#include "sanitizer_test_support.h"
#include "text/encoded_blocks.h"
#include "text/text_sanitizer.h"

using mugai::Action;
using mugai::Outcome;
using mugai::TypeClass;
using mugai::sanitizers::text::TextSanitizer;
using namespace mugai::test;

namespace {

// 75 bytes (all of 0x00-0x45, then "MZ\x90\0hello"), encoded by Python's binascii.b2a_uu.
std::string payload() {
  std::string bytes;
  for (int i = 0; i < 70; ++i) bytes.push_back(static_cast<char>(i));
  bytes += std::string("MZ\x90\0hello", 9);
  return bytes;
}
const std::string kUuLines = R"uu(M``$"`P0%!@<("0H+#`T.#Q`1$A,4%187&!D:&QP='A\@(2(C)"4F)R@I*BLL
B+2XO,#$R,S0U-C<X.3H[/#T^/T!!0D-$14U:D`!H96QL;P``
`
)uu";
const std::string kBase64 =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERU1akABoZWxsbw==\n";

Outcome run_text(std::string_view bytes, const mugai::Limits& limits = {}) {
  TestContext test(limits);
  const TextSanitizer module;
  return module.run(make_part(bytes, "utf-8", "text/plain", TypeClass::text), "keep", {}, test.context);
}

std::string placeholder(const std::string& name, bool delivered = true) {
  return mugai::sanitizers::text::block_placeholder(name, delivered, 120);
}

}  // namespace

TEST_CASE("a uuencoded block is cut out, decoded and returned as an attachment", "[text][uuencode]") {
  const std::string body = "添付します。\nbegin 644 請求書.exe\n" + kUuLines + "end\nよろしく\n";
  const Outcome out = run_text(body);
  CHECK(out.action == Action::sanitized);
  CHECK(out.bytes == "添付します。\n" + placeholder("請求書.exe") + "\nよろしく\n");
  CHECK(placeholder("a.bin") ==
        "[本文中の uuencode ファイル「a.bin」は添付ファイルとして処理されます / uuencoded file \"a.bin\" in the "
        "body is handled as an attachment]");
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].filename == "請求書.exe");
  CHECK(out.extracted[0].bytes == payload());
  CHECK(has_finding(out, "text.uuencode"));
  CHECK(out.reason == "UTF-8 text sanitised; 1 uuencoded file extracted");
}

TEST_CASE("begin-base64 (uuencode -m) blocks are cut out too", "[text][uuencode]") {
  const std::string body = "x\nbegin-base64 600 data.bin\n" + kBase64 + "====\ny\n";
  const Outcome out = run_text(body);
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes == payload());
  CHECK(out.extracted[0].filename == "data.bin");
  CHECK(out.bytes == "x\n" + placeholder("data.bin") + "\ny\n");
}

TEST_CASE("a block without its end line is still cut (a reader would decode it)", "[text][uuencode]") {
  const std::string body = "begin 0644 tail.bin\n" + kUuLines;
  const Outcome out = run_text(body);
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes == payload());
  CHECK(out.bytes == placeholder("tail.bin") + "\n");
  const auto f = finding(out, "text.uuencode");
  REQUIRE(f);
  CHECK(f->detail.find("without an end line") != std::string::npos);
}

TEST_CASE("a truncated block stops at the first line that is not uuencode", "[text][uuencode]") {
  const std::string body = "begin 644 a.bin\n" + kUuLines.substr(0, kUuLines.find('\n') + 1) + "その後の本文\n";
  const Outcome out = run_text(body);
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes == payload().substr(0, 45));
  CHECK(out.bytes == placeholder("a.bin") + "\nその後の本文\n");
}

TEST_CASE("prose that starts with 'begin' is left alone", "[text][uuencode]") {
  for (const std::string body : {"begin 2 tasks today\nand then more\n", "begin here\nend\n", "beginning 644 x\nend\n",
                                 "begin 644 x\nhello world\n"}) {
    CAPTURE(body);
    const Outcome out = run_text(body);
    CHECK(out.bytes == body);
    CHECK(out.extracted.empty());
    CHECK(out.action == Action::kept);
  }
}

TEST_CASE("an empty uuencoded file with a proper end is still cut out", "[text][uuencode]") {
  const Outcome out = run_text("begin 644 empty.txt\n`\nend\n");
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes.empty());
}

TEST_CASE("control characters cannot hide a begin line from the scan", "[text][uuencode]") {
  const std::string body = "beg\x01in 644 hidden.bin\n" + kUuLines + "end\n";
  const Outcome out = run_text(body);
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].filename == "hidden.bin");
}

TEST_CASE("CRLF bodies are handled (mail line ends)", "[text][uuencode]") {
  std::string body = "begin 644 crlf.bin\n" + kUuLines + "end\n";
  std::string crlf;
  for (char c : body) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const Outcome out = run_text(crlf);
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes == payload());
}

TEST_CASE("blocks beyond max_parts are removed, never left in the text", "[text][uuencode][limits]") {
  mugai::Limits limits;
  limits.max_parts = 1;
  const std::string block = "begin 644 f.bin\n" + kUuLines + "end\n";
  const Outcome out = run_text(block + block + block, limits);
  CHECK(out.extracted.size() == 1);
  CHECK(out.bytes == placeholder("f.bin") + "\n" + placeholder("f.bin", false) + "\n" + placeholder("f.bin", false) + "\n");
  const auto f = finding(out, "limit.max-parts");
  REQUIRE(f);
  CHECK(f->detail.starts_with("2 uuencoded files"));
}

TEST_CASE("the placeholder shows a safe name, the attachment keeps the raw one", "[text][uuencode]") {
  const std::string name = "invoice\u202Efdp.exe";
  const Outcome out = run_text("begin 644 " + name + "\n" + kUuLines + "end\n");
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].filename == name);
  CHECK(out.bytes == placeholder("invoicefdp.exe") + "\n");
  CHECK(mugai::sanitizers::text::block_placeholder("", true, 120).find("no name") != std::string::npos);
  CHECK(mugai::sanitizers::text::block_placeholder("abcdef", true, 3).find("「abc…」") != std::string::npos);
}

TEST_CASE("sanitising the output again changes nothing", "[text][uuencode]") {
  const Outcome first = run_text("a\nbegin 644 x.bin\n" + kUuLines + "end\nb\x1B\n");
  const Outcome second = run_text(first.bytes);
  CHECK(second.bytes == first.bytes);
  CHECK(second.action == Action::kept);
  CHECK(second.extracted.empty());
}
