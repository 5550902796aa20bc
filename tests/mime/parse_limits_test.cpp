// parse() enforces mugai's limits on GMime's result (GMime has no header limits and caps nesting
// silently at 1,024): each breach is a rejection with its own code and a reason with the numbers.
#include <catch2/catch.hpp>
#include <cstdint>

#include "mime_test_support.h"

using namespace mugai;
using namespace mugai::mime;
using namespace mugai::mime::test;

namespace {

// `levels` nested multiparts around one text part: the text part is at depth `levels`.
std::string nested_multiparts(int levels) {
  std::string message = "From: a@example.jp\r\n";
  for (int i = 0; i < levels; ++i)
    message += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
               std::to_string(i) + "\r\n";
  message += "Content-Type: text/plain\r\n\r\nleaf\r\n";
  for (int i = levels - 1; i >= 0; --i) message += "--b" + std::to_string(i) + "--\r\n";
  return message;
}

// `levels` nested message/rfc822 parts.
std::string nested_messages(int levels) {
  std::string message = "From: a@example.jp\r\n";
  for (int i = 0; i < levels; ++i) message += "Content-Type: message/rfc822\r\n\r\nFrom: x@example.jp\r\n";
  return message + "Content-Type: text/plain\r\n\r\nleaf\r\n";
}

std::string siblings(int count) {
  std::string message = "From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n";
  for (int i = 0; i < count; ++i)
    message += "--zz\r\nContent-Type: text/plain\r\n\r\npart " + std::to_string(i) + "\r\n";
  return message + "--zz--\r\n";
}

// No wall-clock assertion (it fails on a loaded machine): a runaway parse is stopped by the
// ctest timeout, and speed is measured in bench/.
ParseResult timed_parse(const std::string& message, const Limits& limits) { return parse(message, limits); }

}  // namespace

TEST_CASE("2,000-deep nesting is refused as limit.max-depth, quickly", "[mime][parse][limits]") {
  const ParseResult result = timed_parse(nested_multiparts(2000), Limits{});
  CHECK_FALSE(result.root);
  CHECK(result.rejection_code == "limit.max-depth");
  CHECK(result.rejection_reason.find("limit 12") != std::string::npos);

  // Even a limit above GMime's own cap: GMime flattened the rest, so the tree is not the message.
  Limits generous;
  generous.max_depth = 5000;
  generous.max_parts = 100000;
  const ParseResult capped = timed_parse(nested_multiparts(2000), generous);
  CHECK(capped.rejection_code == "limit.max-depth");
  CHECK(capped.rejection_reason.find("1024") != std::string::npos);
}

TEST_CASE("depth is counted in containers: at the limit passes, one more is refused",
          "[mime][parse][limits]") {
  Limits limits;
  limits.max_depth = 4;
  const Node ok = parse_ok(nested_multiparts(4), limits);
  CHECK(ok.path == "0");
  REQUIRE(at(ok, "1.1.1.1") != nullptr);  // containers 0, 1, 1.1, 1.1.1 above it
  CHECK(at(ok, "1.1.1.1")->body == "leaf");

  const ParseResult deep = parse(nested_multiparts(5), limits);
  CHECK(deep.rejection_code == "limit.max-depth");
  CHECK(deep.rejection_reason == "nesting depth 5 > limit 4");
}

TEST_CASE("message/rfc822 nesting counts as depth too", "[mime][parse][limits]") {
  Limits limits;
  limits.max_depth = 6;
  const Node ok = parse_ok(nested_messages(6), limits);
  CHECK(at(ok, "1.1.1.1.1.1.1") != nullptr);
  const ParseResult deep = parse(nested_messages(7), limits);
  CHECK(deep.rejection_code == "limit.max-depth");
  CHECK(deep.rejection_reason == "nesting depth 7 > limit 6");
}

TEST_CASE("5,000 sibling parts: refused by default, parsed in full under a higher limit",
          "[mime][parse][limits]") {
  const ParseResult refused = timed_parse(siblings(5000), Limits{});
  CHECK(refused.rejection_code == "limit.max-parts");
  CHECK(refused.rejection_reason == "5001 MIME parts > limit 500");

  Limits limits;
  limits.max_parts = 6000;
  const ParseResult parsed = timed_parse(siblings(5000), limits);
  REQUIRE(parsed.root);
  REQUIRE(parsed.root->children.size() == 5000);
  CHECK(parsed.root->children[4999].path == "5000");
  CHECK(parsed.root->children[4999].body == "part 4999");
}

TEST_CASE("a 1 MB header line is refused as limit.max-header-line-bytes", "[mime][parse][limits]") {
  const std::string message =
      "From: a@example.jp\r\nSubject: " + std::string(1'000'000, 'x') + "\r\n\r\nbody\r\n";
  const ParseResult result = timed_parse(message, Limits{});
  CHECK(result.rejection_code == "limit.max-header-line-bytes");
  CHECK(result.rejection_reason == "part 1 header field Subject is 1000009 bytes > limit 65536");
}

TEST_CASE("the header line limit applies to the unfolded field and to nested parts",
          "[mime][parse][limits]") {
  std::string folded =
      "From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nX-Long: a";
  for (int i = 0; i < 2000; ++i) folded += "\r\n " + std::string(40, 'y');
  folded += "\r\n\r\nbody\r\n--b--\r\n";
  const ParseResult result = parse(folded, Limits{});
  CHECK(result.rejection_code == "limit.max-header-line-bytes");
  CHECK(result.rejection_reason.starts_with("part 1 header field X-Long"));
}

TEST_CASE("too many header fields in one part: limit.max-header-fields", "[mime][parse][limits]") {
  std::string message = "From: a@example.jp\r\n";
  for (int i = 0; i < 1000; ++i) message += "X-Spam: " + std::to_string(i) + "\r\n";
  message += "\r\nbody\r\n";
  const ParseResult result = parse(message, Limits{});
  CHECK(result.rejection_code == "limit.max-header-fields");
  CHECK(result.rejection_reason == "part 1 has 1001 header fields > limit 1000");
}

TEST_CASE("too many header bytes in one part: limit.max-header-bytes", "[mime][parse][limits]") {
  Limits limits;
  limits.max_header_bytes = 1000;
  std::string message = "From: a@example.jp\r\n";
  for (int i = 0; i < 20; ++i) message += "X-Pad: " + std::string(60, 'p') + "\r\n";
  message += "\r\nbody\r\n";
  const ParseResult result = parse(message, limits);
  CHECK(result.rejection_code == "limit.max-header-bytes");
  CHECK(result.rejection_reason.starts_with("part 1 header is "));
}

TEST_CASE("a message over max_message_bytes is refused before parsing", "[mime][parse][limits]") {
  Limits limits;
  limits.max_message_bytes = 100;
  const ParseResult result = parse("From: a@example.jp\r\n\r\n" + std::string(200, 'x'), limits);
  CHECK(result.rejection_code == "limit.max-message-bytes");
  CHECK(result.rejection_reason == "message is 222 bytes > limit 100");
}

TEST_CASE("decoded bodies over max_decoded_bytes, summed over all leaves", "[mime][parse][limits]") {
  Limits limits;
  limits.max_decoded_bytes = 1000;
  std::string message = "From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 3; ++i)
    message += "--b\r\nContent-Type: text/plain\r\n\r\n" + std::string(400, 'd') + "\r\n";
  message += "--b--\r\n";
  const ParseResult result = parse(message, limits);
  CHECK(result.rejection_code == "limit.max-decoded-bytes");
  CHECK(result.rejection_reason == "decoded bodies reach 1200 bytes at part 3 > limit 1000");

  limits.max_decoded_bytes = 1200;
  CHECK(parse(message, limits).root.has_value());
}

TEST_CASE("depth, parts and decoded bytes are shared with encoded embedded messages",
          "[mime][parse][limits]") {
  // Three layers of base64-encoded message/rfc822: GMime sees one layer at a time.
  std::string message = "From: x@example.jp\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n";
  const auto base64 = [](const std::string& bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
      std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
      if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
      if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
      out += kAlphabet[(group >> 18) & 63];
      out += kAlphabet[(group >> 12) & 63];
      out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
      out += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
      if ((i / 3 + 1) % 19 == 0) out += "\r\n";
    }
    return out + "\r\n";
  };
  for (int layer = 0; layer < 3; ++layer)
    message =
        "From: a@example.jp\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        base64(message);

  Limits limits;
  limits.max_depth = 3;
  const Node root = parse_ok(message, limits);
  REQUIRE(at(root, "1.1.1.1") != nullptr);
  CHECK(at(root, "1.1.1.1")->body == "innermost\r\n");

  limits.max_depth = 2;
  const ParseResult deep = parse(message, limits);
  CHECK(deep.rejection_code == "limit.max-depth");
  CHECK(deep.rejection_reason == "nesting depth 3 > limit 2");

  limits = Limits{};
  limits.max_parts = 3;
  CHECK(parse(message, limits).rejection_code == "limit.max-parts");
}
