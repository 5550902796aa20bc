// parse(): Japanese file names as real MUAs send them, decoded by mugai::charset (ICU), never by
// GMime's iconv: RFC 2047 inside a quoted name= (Outlook, Becky!), RFC 2231 continuations in
// UTF-8 and in ISO-2022-JP split inside an escape sequence, NEC row 13, raw CP932 bytes.
#include <catch2/catch.hpp>

#include "mime_test_support.h"

using namespace mugai;
using namespace mugai::mime;
using namespace mugai::mime::test;

namespace {

Node attachment_with(const std::string& type_line, const std::string& disposition_line) {
  std::string message =
      "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n--b\n" + type_line + "\n";
  if (!disposition_line.empty()) message += disposition_line + "\n";
  message += "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n";
  const Node root = parse_ok(crlf(message));
  REQUIRE(root.children.size() == 1);
  return root.children[0];
}

}  // namespace

TEST_CASE("RFC 2047 ISO-2022-JP word inside a quoted name= (Outlook)", "[mime][parse][japanese]") {
  const Node part =
      attachment_with("Content-Type: application/pdf; name=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=.pdf\"", "");
  CHECK(part.filename == "請求書.pdf");
  CHECK(part.type_params.at("name") == "請求書.pdf");
}

TEST_CASE("RFC 2047 in a quoted filename= of Content-Disposition (Becky!)", "[mime][parse][japanese]") {
  const Node part = attachment_with(
      "Content-Type: application/pdf",
      "Content-Disposition: attachment;\n filename=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=.pdf\"");
  CHECK(part.disposition == "attachment");
  CHECK(part.filename == "請求書.pdf");
}

TEST_CASE("RFC 2231 UTF-8 continuations, folded over lines", "[mime][parse][japanese]") {
  const Node part = attachment_with("Content-Type: application/pdf",
                                    "Content-Disposition: attachment;\n filename*0*=UTF-8''%E8%AB%8B;\n "
                                    "filename*1*=%E6%B1%82%E6%9B%B8.pdf");
  CHECK(part.filename == "請求書.pdf");
}

TEST_CASE("RFC 2231 ISO-2022-JP split inside the escape sequence", "[mime][parse][japanese]") {
  const Node part = attachment_with("Content-Type: application/pdf",
                                    "Content-Disposition: attachment;\n filename*0*=ISO-2022-JP''%1B%24;\n "
                                    "filename*1*=B%40A5a%3Dq%1B%28B.pdf");
  CHECK(part.filename == "請求書.pdf");
}

TEST_CASE("NEC row 13 in an ISO-2022-JP file name survives (glibc iconv would garble it)",
          "[mime][parse][japanese]") {
  // ① is 0x2D21 in Outlook's ISO-2022-JP: ESC $ B - ! ESC ( B
  const Node part =
      attachment_with("Content-Type: application/pdf; name=\"=?ISO-2022-JP?B?GyRCLSEbKEI=?=.pdf\"", "");
  CHECK(part.filename == "①.pdf");
}

TEST_CASE("raw Shift_JIS (CP932) bytes in a quoted name, with 0x5C as second byte",
          "[mime][parse][japanese]") {
  // 表 = 0x95 0x5C: the 0x5C must not be taken as a quoted-pair backslash.
  const Node part = attachment_with("Content-Type: application/pdf; name=\"\x95\x5C.pdf\"", "");
  CHECK(part.filename == "表.pdf");
}

TEST_CASE("header values stay raw: decoding them is the caller's job", "[mime][parse][japanese]") {
  const Node root =
      parse_ok(crlf("From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\n"
                    "Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\n"
                    "\n"
                    "x\n"));
  CHECK(header(root, "Subject") == "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=");
}
