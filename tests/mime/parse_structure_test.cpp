// parse(): the tree of ordinary mail — numbering, header order and unfolding, bodies decoded from
// their transfer encoding but never charset-converted, and no repair findings on clean input.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "mime_test_support.h"

using namespace mugai;
using namespace mugai::mime;
using namespace mugai::mime::test;

TEST_CASE("a plain message is one text/plain node with its header in order and no repairs", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: Taro <taro@example.jp>\n"
                    "To: hanako@example.jp\n"
                    "Subject: folded\n"
                    "  subject\n"
                    "MIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=\"ISO-2022-JP\"\n"
                    "Content-Transfer-Encoding: 7bit\n"
                    "\n"
                    "\x1b$B$3$s$K$A$O\x1b(B\n"));
  CHECK(root.path == "1");
  CHECK(root.content_type == "text/plain");
  CHECK(root.type_params.at("charset") == "ISO-2022-JP");
  CHECK(root.transfer_encoding == "7bit");
  REQUIRE(root.headers.size() == 6);
  CHECK(root.headers[0].name == "From");
  CHECK(root.headers[0].raw_value == "Taro <taro@example.jp>");
  CHECK(root.headers[2].raw_value == "folded  subject");  // unfolded: only the line break goes
  CHECK(root.headers[4].name == "Content-Type");          // message and body fields interleaved as sent
  CHECK(root.body == "\x1b$B$3$s$K$A$O\x1b(B\r\n");       // bytes as sent, no charset conversion
  CHECK(root.children.empty());
  CHECK(root.repairs.empty());
}

TEST_CASE("multipart/alternative: the root is 0, its parts 1 and 2 (IMAP numbers)", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\n"
                    "Content-Type: multipart/alternative; boundary=\"alt\"\n"
                    "\n"
                    "preamble\n"
                    "--alt\n"
                    "Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: quoted-printable\n"
                    "\n"
                    "caf=C3=A9 soft=\n"
                    "break\n"
                    "--alt\n"
                    "Content-Type: text/html; charset=utf-8\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "PHA+aGVsbG88L3A+\n"
                    "--alt--\n"
                    "epilogue\n"));
  CHECK(root.path == "0");
  CHECK(root.content_type == "multipart/alternative");
  CHECK(root.is_multipart());
  CHECK(root.type_params.at("boundary") == "alt");
  REQUIRE(root.children.size() == 2);
  CHECK(root.children[0].path == "1");
  CHECK(root.children[0].body == "caf\xC3\xA9 softbreak");  // the CRLF before a boundary is the boundary's
  CHECK(root.children[0].transfer_encoding == "quoted-printable");
  CHECK(root.children[1].path == "2");
  CHECK(root.children[1].content_type == "text/html");
  CHECK(root.children[1].body == "<p>hello</p>");
  CHECK(root.children[1].encoded_size == 16);
  CHECK(repair(root, "mime.bad-base64") == nullptr);
  CHECK(repair(root, "mime.unterminated-boundary") == nullptr);
}

TEST_CASE("multipart/related inside multipart/mixed, with an attachment", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\n"
                    "Content-Type: multipart/mixed; boundary=outer\n"
                    "\n"
                    "--outer\n"
                    "Content-Type: multipart/related; boundary=inner; type=\"text/html\"\n"
                    "\n"
                    "--inner\n"
                    "Content-Type: text/html\n"
                    "\n"
                    "<img src=\"cid:logo@x\">\n"
                    "--inner\n"
                    "Content-Type: image/png\n"
                    "Content-ID: <logo@x>\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "iVBORw0KGgo=\n"
                    "--inner--\n"
                    "--outer\n"
                    "Content-Type: application/pdf; name=\"old.pdf\"\n"
                    "Content-Disposition: attachment; filename=\"report.pdf\"\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "JVBERi0xLjQK\n"
                    "--outer--\n"));
  REQUIRE(at(root, "1.2") != nullptr);
  CHECK(at(root, "1")->content_type == "multipart/related");
  CHECK(at(root, "1.1")->content_type == "text/html");
  CHECK(at(root, "1.2")->body == "\x89PNG\r\n\x1a\n");
  CHECK(header(*at(root, "1.2"), "content-id") == "<logo@x>");
  const Node* pdf = at(root, "2");
  REQUIRE(pdf != nullptr);
  CHECK(pdf->disposition == "attachment");
  CHECK(pdf->filename == "report.pdf");  // the disposition filename wins over name=
  CHECK(pdf->type_params.at("name") == "old.pdf");
  CHECK(pdf->body == "%PDF-1.4\n");
}

TEST_CASE("message/rfc822: one child, the embedded body, carrying the embedded header", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: outer@example.jp\n"
                    "Subject: Fwd: inner\n"
                    "Content-Type: multipart/mixed; boundary=b\n"
                    "\n"
                    "--b\n"
                    "Content-Type: text/plain\n"
                    "\n"
                    "see attached\n"
                    "--b\n"
                    "Content-Type: message/rfc822\n"
                    "Content-Disposition: attachment\n"
                    "\n"
                    "From: inner@example.jp\n"
                    "Subject: inner\n"
                    "Content-Type: multipart/alternative; boundary=c\n"
                    "\n"
                    "--c\n"
                    "Content-Type: text/plain\n"
                    "\n"
                    "inner text\n"
                    "--c--\n"
                    "--b--\n"));
  const Node* message = at(root, "2");
  REQUIRE(message != nullptr);
  CHECK(message->is_message());
  CHECK(header(*message, "Content-Type") == "message/rfc822");
  REQUIRE(message->children.size() == 1);
  const Node& embedded = message->children[0];
  CHECK(embedded.path == "2.0");  // a multipart body has no IMAP number; its parts are 2.1, 2.2
  CHECK(embedded.content_type == "multipart/alternative");
  CHECK(header(embedded, "Subject") == "inner");
  CHECK(header(embedded, "From") == "inner@example.jp");
  CHECK(at(root, "2.1")->body == "inner text");
  CHECK(header(root, "Subject") == "Fwd: inner");  // the outer header stays on the root
}

TEST_CASE("parts of a multipart/digest without Content-Type are message/rfc822", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: list@example.jp\n"
                    "Content-Type: multipart/digest; boundary=d\n"
                    "\n"
                    "--d\n"
                    "\n"
                    "From: one@example.jp\n"
                    "Subject: first\n"
                    "\n"
                    "one\n"
                    "--d--\n"));
  REQUIRE(at(root, "1") != nullptr);
  CHECK(at(root, "1")->content_type == "message/rfc822");
  CHECK(header(*at(root, "1.1"), "Subject") == "first");  // a one-part embedded body is 1.1
  for (const Finding& finding : at(root, "1")->repairs) CHECK(finding.code != "mime.missing-content-type");
}

TEST_CASE("message/global is read as mail too", "[mime][parse]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\n"
                    "Content-Type: message/global\n"
                    "\n"
                    "Subject: inner\n"
                    "\n"
                    "body\n"));
  CHECK(root.is_message());
  REQUIRE(root.children.size() == 1);
  CHECK(root.children[0].body == "body\r\n");
}

TEST_CASE("a message with LF line ends throughout parses the same, without line-end findings",
          "[mime][parse]") {
  const Node root = parse_ok(
      "From: a@example.jp\n"
      "Subject: unix\n"
      "Content-Type: text/plain; charset=us-ascii\n"
      "\n"
      "body\n");
  CHECK(header(root, "Subject") == "unix");
  CHECK(root.body == "body\n");
  CHECK(root.repairs.empty());
}

TEST_CASE("Content-Disposition: inline kept, unknown types read as attachment", "[mime][parse]") {
  const Node inline_part = parse_ok(crlf("Content-Type: text/plain\nContent-Disposition: INLINE\n\nx\n"));
  CHECK(inline_part.disposition == "inline");
  const Node odd =
      parse_ok(crlf("Content-Type: text/plain\nContent-Disposition: x-weird; filename=a.txt\n\nx\n"));
  CHECK(odd.disposition == "attachment");
  CHECK(odd.filename == "a.txt");
  CHECK(repair(odd, "mime.unknown-disposition") != nullptr);
}

TEST_CASE("parse is safe to call from several threads at once", "[mime][parse]") {
  const std::string message = crlf(
      "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\none\n--b\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--b--\n");
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const ParseResult result = parse(message, Limits{});
        if (result.root && result.root->children.size() == 2 && result.root->children[1].body == "hello")
          ++good;
      }
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(good == 800);
}

TEST_CASE("a base64-encoded message/rfc822 is decoded and parsed, not left opaque", "[mime][parse]") {
  // "From: x@example.jp\r\nSubject: inner\r\n\r\nhello\r\n" in base64
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n"
                    "--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                    "RnJvbTogeEBleGFtcGxlLmpwDQpTdWJqZWN0OiBpbm5lcg0KDQpoZWxsbw0K\n--b--\n"));
  const Node* message = at(root, "1");
  REQUIRE(message != nullptr);
  CHECK(message->is_message());
  CHECK(message->body.empty());
  CHECK(repair(*message, "mime.encoded-message") != nullptr);
  REQUIRE(message->children.size() == 1);
  CHECK(message->children[0].path == "1.1");
  CHECK(header(message->children[0], "Subject") == "inner");
  CHECK(message->children[0].body == "hello\r\n");
}
