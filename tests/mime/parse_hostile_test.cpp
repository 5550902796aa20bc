// parse() on the malformed input of issue 3: every case gets a stated repair (a finding on the
// node) or a rejection with a specific code, never a crash or a hang. Each input is built here.
#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <set>

#include "mime_test_support.h"

using namespace mugai;
using namespace mugai::mime;
using namespace mugai::mime::test;

TEST_CASE("no header at all: the whole input is the body of a text/plain message", "[mime][parse][hostile]") {
  const std::string input = "Hello, this first line is no header\r\nsecond line\r\n";
  const Node root = parse_ok(input);
  CHECK(root.path == "1");
  CHECK(root.content_type == "text/plain");
  CHECK(root.type_params.at("charset") == "us-ascii");
  CHECK(root.headers.empty());
  CHECK(root.body == input);
  CHECK(repair(root, "mime.no-header") != nullptr);
}

TEST_CASE("empty input and a header block that is empty are both 'no header'", "[mime][parse][hostile]") {
  const Node empty = parse_ok("");
  CHECK(empty.body.empty());
  CHECK(repair(empty, "mime.no-header") != nullptr);

  const Node blank_first = parse_ok("\r\nbody only\r\n");
  CHECK(blank_first.body == "body only\r\n");
  CHECK(repair(blank_first, "mime.no-header") != nullptr);
}

TEST_CASE("missing Content-Type is text/plain, charset=us-ascii (RFC 2045)", "[mime][parse][hostile]") {
  const Node root = parse_ok(crlf("From: a@example.jp\n\nbody\n"));
  CHECK(root.content_type == "text/plain");
  CHECK(root.type_params.at("charset") == "us-ascii");
  CHECK(repair(root, "mime.missing-content-type") != nullptr);
}

TEST_CASE("an invalid Content-Type value is text/plain, charset=us-ascii", "[mime][parse][hostile]") {
  const Node root = parse_ok(crlf("From: a@example.jp\nContent-Type: garbage; charset=utf-8\n\nbody\n"));
  CHECK(root.content_type == "text/plain");
  CHECK(root.type_params.at("charset") == "us-ascii");
  CHECK(repair(root, "mime.invalid-content-type") != nullptr);
}

TEST_CASE("duplicate Content-Type: the first wins when the structure agrees", "[mime][parse][hostile]") {
  const Node root = parse_ok(crlf(
      "From: a@example.jp\nContent-Type: text/plain; charset=utf-8\nContent-Type: text/html\n\n<b>x</b>\n"));
  CHECK(root.content_type == "text/plain");
  CHECK(root.type_params.at("charset") == "utf-8");
  CHECK(repair(root, "mime.duplicate-content-type") != nullptr);
  CHECK(repair(root, "mime.conflicting-header") != nullptr);  // GMime noticed too
}

TEST_CASE("duplicate Content-Type that changes the structure is refused", "[mime][parse][hostile]") {
  // GMime builds the tree from the last field, mugai reads the first: a recipient could see either.
  const ParseResult leaf_first =
      parse(crlf("From: a@example.jp\nContent-Type: text/plain\nContent-Type: multipart/mixed; boundary=b\n\n"
                 "--b\nContent-Type: application/x-msdownload\n\nMZ\n--b--\n"),
            Limits{});
  CHECK_FALSE(leaf_first.root);
  CHECK(leaf_first.rejection_code == "mime.conflicting-content-type");

  const ParseResult multipart_first =
      parse(crlf("From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\nContent-Type: text/plain\n\n"
                 "--b\nContent-Type: text/plain\n\nx\n--b--\n"),
            Limits{});
  CHECK(multipart_first.rejection_code == "mime.conflicting-content-type");

  const ParseResult invalid_first =
      parse(crlf("From: a@example.jp\nContent-Type: garbage\nContent-Type: multipart/mixed; boundary=b\n\n"
                 "--b\nContent-Type: text/plain\n\nx\n--b--\n"),
            Limits{});
  CHECK(invalid_first.rejection_code == "mime.conflicting-content-type");
}

TEST_CASE("multipart without a boundary parameter keeps its content as text", "[mime][parse][hostile]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: multipart/mixed\n\n--zz\nContent-Type: "
                    "text/plain\n\npart\n--zz--\n"));
  CHECK(root.content_type == "text/plain");
  CHECK(root.path == "1");  // now a one-part body
  CHECK(root.children.empty());
  CHECK(root.body.find("part") != std::string::npos);
  CHECK(repair(root, "mime.missing-boundary") != nullptr);
}

TEST_CASE("multipart whose boundary never occurs keeps its content as text", "[mime][parse][hostile]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: multipart/mixed; boundary=zz\n\nno parts at all\n"));
  CHECK(root.content_type == "text/plain");
  CHECK(root.body.starts_with("no parts at all"));  // GMime keeps the prologue with LF line ends
  CHECK(repair(root, "mime.boundary-not-found") != nullptr);
}

TEST_CASE("unterminated boundary: the last part runs to the end", "[mime][parse][hostile]") {
  const Node root = parse_ok(
      crlf("From: a@example.jp\nContent-Type: multipart/mixed; boundary=zz\n\n"
           "--zz\nContent-Type: text/plain\n\none\n--zz\nContent-Type: text/plain\n\ntwo never ends\n"));
  REQUIRE(root.children.size() == 2);
  CHECK(root.children[1].body == "two never ends\r\n");
  CHECK(repair(root, "mime.unterminated-boundary") != nullptr);
  CHECK(repair(root, "mime.truncated") != nullptr);
}

TEST_CASE("invalid base64 characters are skipped and recorded", "[mime][parse][hostile]") {
  const Node root = parse_ok(
      crlf("From: a@example.jp\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
           "aGVsbG8*gd29y!bGQ=\n"));
  CHECK(root.body == "hello world");
  const Finding* finding = repair(root, "mime.bad-base64");
  REQUIRE(finding != nullptr);
  CHECK(finding->detail.find("2 character(s)") != std::string::npos);
}

TEST_CASE("base64 with a truncated final group is recorded", "[mime][parse][hostile]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: "
                    "base64\n\naGVsbG8gd\n"));
  CHECK(repair(root, "mime.bad-base64") != nullptr);
}

TEST_CASE("base64 data after '=' padding is recorded, well-formed base64 is not", "[mime][parse][hostile]") {
  const auto parsed = [](const std::string& body) {
    return parse_ok(crlf("From: a@example.jp\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: "
                         "base64\n\n" + body + "\n"));
  };
  const Node after = parsed("aGVsbG8=\nd29y");  // "hello" then a second run: 8 + 4 characters
  const Finding* finding = repair(after, "mime.bad-base64");
  REQUIRE(finding != nullptr);
  CHECK(finding->detail == "data after '=' padding decoded anyway");
  CHECK(repair(parsed("aGVsbG8gd29ybGQ=\naGk=\n"), "mime.bad-base64") != nullptr);  // two padded runs
  CHECK(repair(parsed("aGVs\r\nbG8gd29y\nbGQ=\n\n"), "mime.bad-base64") == nullptr);
  CHECK(repair(parsed("aGk="), "mime.bad-base64") == nullptr);
  CHECK(repair(parsed("aA=="), "mime.bad-base64") == nullptr);
}

TEST_CASE("invalid quoted-printable escapes are kept literally and recorded", "[mime][parse][hostile]") {
  const Node root = parse_ok(
      crlf("From: a@example.jp\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
           "bad =ZZ ok =41\n"));
  CHECK(root.body == "bad =ZZ ok A\r\n");
  CHECK(repair(root, "mime.bad-quoted-printable") != nullptr);
}

TEST_CASE("unknown transfer encoding: the body is taken as binary, as it stands", "[mime][parse][hostile]") {
  const Node root = parse_ok(
      crlf("From: a@example.jp\nContent-Type: text/plain\nContent-Transfer-Encoding: x-rot13\n\nraw body\n"));
  CHECK(root.transfer_encoding == "x-rot13");
  CHECK(root.body == "raw body\r\n");
  CHECK(repair(root, "mime.unknown-transfer-encoding") != nullptr);
}

TEST_CASE("the first Content-Transfer-Encoding wins, like Content-Type", "[mime][parse][hostile]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n"
                    "Content-Transfer-Encoding: 7bit\n\naGVsbG8=\n"));
  CHECK(root.body == "hello");
}

TEST_CASE("an unknown charset is kept as declared: decoding it is charset's job", "[mime][parse][hostile]") {
  const Node root =
      parse_ok(crlf("From: a@example.jp\nContent-Type: text/plain; charset=x-no-such\n\nbody\n"));
  CHECK(root.type_params.at("charset") == "x-no-such");
  CHECK(root.body == "body\r\n");
}

TEST_CASE(
    "NUL bytes: kept in a body (recorded), blanked in a header value, a header name with one is dropped",
    "[mime][parse][hostile]") {
  using namespace std::string_literals;
  const Node root = parse_ok(
      crlf("From: a@example.jp\nSubject: x\0y\nX-Bad\0Name: v\nContent-Type: text/plain\n\nb\0dy\n"s));
  CHECK(header(root, "Subject") == "x y");
  CHECK(repair(root, "mime.nul-in-header") != nullptr);
  CHECK(header(root, "X-Bad").empty());
  CHECK(repair(root, "mime.invalid-header") != nullptr);
  CHECK(root.body == "b\0dy\r\n"s);
  CHECK(repair(root, "mime.nul-in-body") != nullptr);
}

TEST_CASE("a bare CR inside a header value becomes a space (no header injection)", "[mime][parse][hostile]") {
  const Node root = parse_ok("From: a@example.jp\r\nSubject: hi\rBcc: victim@example.jp\r\n\r\nbody\r\n");
  CHECK(header(root, "Subject") == "hi Bcc: victim@example.jp");
  CHECK(header(root, "Bcc").empty());
  CHECK(repair(root, "mime.bare-cr-in-header") != nullptr);
}

TEST_CASE("a bare LF line end inside a CRLF message is recorded", "[mime][parse][hostile]") {
  const Node root = parse_ok("From: a@example.jp\r\nSubject: x\nTo: b@example.jp\r\n\r\nbody\r\n");
  CHECK(header(root, "To") == "b@example.jp");
  CHECK(repair(root, "mime.bare-lf-in-header") != nullptr);
}

TEST_CASE("a header line without a colon in the middle of the header is dropped and recorded",
          "[mime][parse][hostile]") {
  const Node root = parse_ok(crlf("From: a@example.jp\nno colon here\nSubject: s\n\nbody\n"));
  CHECK(header(root, "Subject") == "s");
  const Finding* finding = repair(root, "mime.invalid-header");
  REQUIRE(finding != nullptr);
  CHECK(finding->detail.find("no colon here") != std::string::npos);
}

TEST_CASE("random corruption of a real message: always a tree or a named rejection",
          "[mime][parse][hostile]") {
  const std::string seed = crlf(
      "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <a@example.jp>\nSubject: s\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
      "Content-Type: multipart/alternative; boundary=b2\n\n--b2\nContent-Type: text/plain; "
      "charset=iso-2022-jp\n"
      "Content-Transfer-Encoding: quoted-printable\n\n=1B$B$3=1B(B\n--b2\nContent-Type: "
      "text/html\n\n<p>x</p>\n--b2--\n"
      "--b1\nContent-Type: message/rfc822\n\nFrom: b@example.jp\nContent-Type: text/plain\n\ninner\n"
      "--b1\nContent-Type: application/pdf; name*=UTF-8''%E8%AB%8B.pdf\nContent-Transfer-Encoding: base64\n\n"
      "JVBERi0xLjQK\n--b1--\n");
  std::mt19937 random(20240601);
  for (int round = 0; round < 3000; ++round) {
    std::string input = seed;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits && !input.empty(); ++e) {
      const std::size_t where = random() % input.size();
      switch (random() % 4) {
        case 0:
          input[where] = static_cast<char>(random() % 256);
          break;
        case 1:
          input.erase(where, 1 + random() % 16);
          break;
        case 2:
          input.insert(where, input.substr(random() % input.size(), 1 + random() % 40));
          break;
        default:
          input.resize(where);
          break;
      }
    }
    const ParseResult result = parse(input, Limits{});
    INFO("round " << round);
    REQUIRE((result.root.has_value() || !result.rejection_code.empty()));
    if (result.root) {
      CHECK(result.root->path == (result.root->is_multipart() ? "0" : "1"));
      std::set<std::string> paths;
      const std::function<void(const Node&)> visit = [&](const Node& node) {
        CHECK(paths.insert(node.path).second);  // part numbers are unique
        for (const Node& child : node.children) visit(child);
      };
      visit(*result.root);
    }
  }
}

TEST_CASE("input that ends inside the first field name is read as a headerless body",
          "[mime][parse][hostile]") {
  const Node root = parse_ok("From: a@example.jp\r\nSubj");
  CHECK(root.body == "From: a@example.jp\r\nSubj");
  CHECK(repair(root, "mime.no-header") != nullptr);
  CHECK(repair(root, "mime.truncated") != nullptr);
}
