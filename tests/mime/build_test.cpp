// build(): valid MIME that mugai's own parser reads back to the same text and file names; CRLF
// only, no line over 998 octets, a 7-bit header with exactly one From, byte-identical output for
// the same input, and the ISO-2022-JP -> UTF-8 fallback (never '?').
#include "mugai/mime/build.h"

#include <catch2/catch.hpp>

#include "mime_test_support.h"
#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"

using namespace mugai;
using namespace mugai::mime;
using namespace mugai::mime::test;

namespace {

std::string header_section(const std::string& message) {
  const std::size_t end = message.find("\r\n\r\n");
  return end == std::string::npos ? message : message.substr(0, end + 2);
}

// Every line ends in CRLF, no bare CR or LF, none longer than 998 octets.
void check_wire_format(const std::string& message) {
  REQUIRE_FALSE(message.empty());
  CHECK(message.ends_with("\r\n"));
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\r') {
      REQUIRE(i + 1 < message.size());
      REQUIRE(message[i + 1] == '\n');
      CHECK(i - line_start <= 998);
      line_start = i + 2;
      ++i;
    } else {
      REQUIRE(message[i] != '\n');
    }
  }
  for (const char c : header_section(message)) REQUIRE(static_cast<unsigned char>(c) < 0x80);
}

std::size_t count_lines_starting(const std::string& message, std::string_view prefix) {
  const std::string header = header_section(message);
  std::size_t count = header.starts_with(prefix) ? 1 : 0;
  for (std::size_t at = header.find("\r\n"); at != std::string::npos; at = header.find("\r\n", at + 2))
    if (std::string_view(header).substr(at + 2).starts_with(prefix)) ++count;
  return count;
}

std::string text_of(const Node& node) {
  const auto charset = node.type_params.find("charset");
  return charset::to_utf8(node.body, charset == node.type_params.end() ? "" : charset->second).utf8;
}

OutMessage japanese_message() {
  OutMessage message;
  message.headers = {{"From", "山田 太郎 <taro@example.jp>"},
                     {"To", "\"Suzuki, Ichiro\" <ichiro@example.jp>, 髙橋 ① <t@example.jp>"},
                     {"Subject", "【重要】請求書の送付について ① ㈱ 𠮷野家"},
                     {"Date", "Mon, 3 Jun 2024 10:00:00 +0900"},
                     {"Message-ID", "<abc@example.jp>"},
                     {"X-Mugai-Verdict", "delivered"}};
  message.body_utf8 = "お世話になっております。\n請求書を送付します。\r\n① ㈱ 髙﨑\n";
  message.body_charset = "utf-8";
  message.attachments.push_back(
      {"application/pdf", "", "請求書.pdf", std::string("%PDF-1.4\n\0\x01\xff", 13)});
  message.attachments.push_back({"text/plain", "utf-8", "メモ.txt", "テキスト\n"});
  return message;
}

}  // namespace

TEST_CASE("a Japanese message with attachments round-trips through parse()", "[mime][build]") {
  const OutMessage message = japanese_message();
  const std::string out = build(message);
  check_wire_format(out);
  CHECK(count_lines_starting(out, "MIME-Version: 1.0") == 1);
  CHECK(count_lines_starting(out, "Date: Mon, 3 Jun 2024") == 1);

  const Node root = parse_ok(out);
  CHECK(root.content_type == "multipart/mixed");
  CHECK(root.repairs.empty());
  REQUIRE(root.children.size() == 3);
  CHECK(root.children[0].content_type == "text/plain");
  CHECK(root.children[0].type_params.at("charset") == "utf-8");
  CHECK(text_of(root.children[0]) == "お世話になっております。\r\n請求書を送付します。\r\n① ㈱ 髙﨑\r\n");
  CHECK(root.children[1].content_type == "application/pdf");
  CHECK(root.children[1].disposition == "attachment");
  CHECK(root.children[1].filename == "請求書.pdf");
  CHECK(root.children[1].type_params.at("name") == "請求書.pdf");
  CHECK(out.find("name*=UTF-8''%E8%AB%8B") != std::string::npos);          // RFC 2231, like filename
  CHECK(out.find("=?UTF-8?", out.find("\r\n\r\n")) == std::string::npos);  // no RFC 2047 below the header
  CHECK(root.children[1].body == message.attachments[0].bytes);
  CHECK(root.children[1].transfer_encoding == "base64");
  CHECK(root.children[2].filename == "メモ.txt");
  CHECK(root.children[2].type_params.at("charset") == "utf-8");
  CHECK(root.children[2].body == "テキスト\n");

  CHECK(charset::decode_header_text(header(root, "Subject")) == "【重要】請求書の送付について ① ㈱ 𠮷野家");
  CHECK(header(root, "From").ends_with("<taro@example.jp>"));  // only the display name is encoded
  CHECK(charset::decode_header_text(header(root, "From")) == "山田 太郎 <taro@example.jp>");
  CHECK(header(root, "To").find("\"Suzuki, Ichiro\" <ichiro@example.jp>") != std::string::npos);
}

TEST_CASE("the same OutMessage gives byte-identical output, other content another boundary",
          "[mime][build]") {
  OutMessage message = japanese_message();
  const std::string first = build(message);
  CHECK(build(message) == first);
  CHECK(first.find("boundary=\"=_mugai_") != std::string::npos);
  message.attachments[0].bytes += "x";
  const std::string other = build(message);
  CHECK(other != first);
  const auto boundary_of = [](const std::string& text) {
    const std::size_t at = text.find("boundary=");
    return text.substr(at, text.find('\r', at) - at);
  };
  CHECK(boundary_of(other) != boundary_of(first));
}

TEST_CASE("a message without attachments is a single text/plain part", "[mime][build]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}, {"Subject", "plain"}};
  message.body_utf8 = "hello\nworld\n";
  message.body_charset = "utf-8";
  const std::string out = build(message);
  check_wire_format(out);
  CHECK(out.find("Content-Transfer-Encoding: 7bit\r\n") != std::string::npos);
  const Node root = parse_ok(out);
  CHECK(root.content_type == "text/plain");
  CHECK(root.body == "hello\r\nworld\r\n");
  CHECK(root.repairs.empty());
}

TEST_CASE("exactly one From: the first one given, or a placeholder", "[mime][build]") {
  OutMessage message;
  message.headers = {{"Subject", "s"}, {"From", "first@example.jp"}, {"From", "second@example.jp"}};
  message.body_utf8 = "x";
  std::string out = build(message);
  CHECK(count_lines_starting(out, "From:") == 1);
  CHECK(out.find("first@example.jp") != std::string::npos);
  CHECK(out.find("second@example.jp") == std::string::npos);

  message.headers = {{"Subject", "no sender"}};
  out = build(message);
  CHECK(count_lines_starting(out, "From: <postmaster@invalid>") == 1);
  check_wire_format(out);
}

TEST_CASE("address fields that do not parse keep their text as a display name", "[mime][build]") {
  OutMessage message;
  message.headers = {{"From", "just some words"}, {"To", "日本語のみ"}, {"Cc", "ユーザー@例え.jp"}};
  message.body_utf8 = "x";
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  CHECK(charset::decode_header_text(header(root, "From")) == "just some words <postmaster@invalid>");
  CHECK(charset::decode_header_text(header(root, "To")) ==
        "日本語のみ : ;");  // a blank before the colon: RFC 2047 section 5
  CHECK(charset::decode_header_text(header(root, "Cc")).starts_with("ユーザー@"));
}

TEST_CASE("hostile header values cannot inject lines or break the line limit", "[mime][build]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp\r\nBcc: victim@example.jp"},
                     {"Subject", "line one\r\nX-Injected: yes"},
                     {"References", std::string(3000, 'r')},
                     {"X-Long-Japanese", std::string(3000, 'x') + "日本"},
                     {"Bad Name", "dropped"},
                     {"Content-Type", "text/html"},
                     {"MIME-Version", "2.0"},
                     {"X-Invalid-UTF8", "\xff\xfe ok"}};
  message.body_utf8 = "x";
  const std::string out = build(message);
  check_wire_format(out);
  CHECK(count_lines_starting(out, "Bcc:") == 0);
  CHECK(count_lines_starting(out, "X-Injected:") == 0);
  CHECK(count_lines_starting(out, "Bad Name") == 0);
  CHECK(count_lines_starting(out, "Content-Type: text/plain") == 1);
  CHECK(count_lines_starting(out, "MIME-Version: 1.0") == 1);
  const Node root = parse_ok(out);
  CHECK(charset::decode_header_text(header(root, "References")) == std::string(3000, 'r'));
  CHECK(charset::decode_header_text(header(root, "Subject")) == "line one X-Injected: yes");
  CHECK(charset::decode_header_text(header(root, "X-Invalid-UTF8")).ends_with(" ok"));
}

TEST_CASE("long body lines are encoded so no line passes 998 octets", "[mime][build]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  message.body_utf8 = std::string(5000, 'a') + "\n" + "日本語" + std::string(3000, 'b');
  message.body_charset = "utf-8";
  const std::string out = build(message);
  check_wire_format(out);
  CHECK(text_of(parse_ok(out)) == std::string(5000, 'a') + "\r\n日本語" + std::string(3000, 'b') + "\r\n");
}

TEST_CASE("ISO-2022-JP body: 7bit with NEC row 13, round-trips", "[mime][build][japanese]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  message.body_utf8 = "こんにちは\n① ㈱ ㍻\n";
  message.body_charset = "iso-2022-jp";
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  CHECK(root.type_params.at("charset") == "iso-2022-jp");
  CHECK(root.transfer_encoding == "7bit");
  CHECK(root.body.find('\x1b') != std::string::npos);
  CHECK(text_of(root) == "こんにちは\r\n① ㈱ ㍻\r\n");
}

TEST_CASE("ISO-2022-JP falls back to UTF-8 for 𠮷, never '?'", "[mime][build][japanese]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  message.body_utf8 = "𠮷野家 と 😀\n";
  message.body_charset = "iso-2022-jp";
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  CHECK(root.type_params.at("charset") == "utf-8");
  CHECK(text_of(root) == "𠮷野家 と 😀\r\n");
  CHECK(text_of(root).find('?') == std::string::npos);
}

TEST_CASE("ISO-2022-JP falls back to UTF-8 when a line would pass 998 octets", "[mime][build][japanese]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  std::string line;
  for (int i = 0; i < 600; ++i) line += "あ";  // 1,200 octets of JIS X 0208 plus escapes
  message.body_utf8 = line;
  message.body_charset = "iso-2022-jp";
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  CHECK(root.type_params.at("charset") == "utf-8");
  CHECK(text_of(root) == line + "\r\n");
}

TEST_CASE("an attachment with an invalid type or a hostile name is still valid MIME", "[mime][build]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  message.body_utf8 = "x";
  std::string long_name;
  for (int i = 0; i < 400; ++i) long_name += "長";
  message.attachments.push_back({"not a type", "", "a\r\nb\"c\\.txt", "data"});
  message.attachments.push_back({"application/pdf", "", long_name + ".pdf", "data"});
  message.attachments.push_back({"application/octet-stream", "", "", "no name"});
  message.attachments.push_back({"message/rfc822", "", "fwd.eml", "Subject: x\n\nbody"});
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  REQUIRE(root.children.size() == 5);
  CHECK(root.children[4].content_type == "application/octet-stream");  // never message/* in base64
  CHECK(root.children[4].body == "Subject: x\n\nbody");
  CHECK(root.children[1].content_type == "application/octet-stream");
  CHECK(root.children[1].filename == "a b\"c\\.txt");
  CHECK(root.children[2].filename == long_name + ".pdf");  // RFC 2231 has no length limit
  CHECK(root.children[3].filename.empty());
  CHECK(root.children[3].body == "no name");
}

TEST_CASE("RFC 2231 file name sections hold whole UTF-8 characters and short lines",
          "[mime][build][japanese]") {
  OutMessage message;
  message.headers = {{"From", "a@example.jp"}};
  message.body_utf8 = "x";
  std::string name;
  for (int i = 0; i < 40; ++i) name += "請求書𠮷";
  message.attachments.push_back({"application/pdf", "", name + ".pdf", "data"});
  const std::string out = build(message);
  check_wire_format(out);
  const std::size_t begin = out.find("Content-Disposition: attachment;");
  REQUIRE(begin != std::string::npos);
  const std::size_t end = out.find("\r\nContent-Transfer-Encoding", begin);
  const std::string field = out.substr(begin, end - begin);
  int sections = 0;
  for (std::size_t at = field.find("filename*"); at != std::string::npos;
       at = field.find("filename*", at + 1)) {
    ++sections;
    std::size_t value = field.find('=', at) + 1;
    if (sections == 1) value = field.find("''", at) + 2;
    const std::size_t stop = field.find_first_of(";\r", value);
    std::string bytes;
    const std::string encoded = field.substr(value, stop - value);
    for (std::size_t i = 0; i < encoded.size(); ++i)
      if (encoded[i] == '%') {
        bytes.push_back(static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        bytes.push_back(encoded[i]);
      }
    CHECK(charset::is_valid_utf8(bytes));
  }
  CHECK(sections > 10);
  std::size_t line_start = 0;
  for (std::size_t at = field.find("\r\n"); at != std::string::npos; at = field.find("\r\n", line_start)) {
    CHECK(at - line_start <= 78);
    line_start = at + 2;
  }
  CHECK(parse_ok(out).children.at(1).filename == name + ".pdf");
}

TEST_CASE("rfc2047_names_for_old_clients: name= as RFC 2047 words in quotes, filename still RFC 2231",
          "[mime][build][japanese]") {
  OutMessage message = japanese_message();
  message.rfc2047_names_for_old_clients = true;
  std::string long_name;
  for (int i = 0; i < 300; ++i) long_name += "長";
  message.attachments.push_back({"application/pdf", "", long_name + ".pdf", "data"});
  const std::string out = build(message);
  check_wire_format(out);
  CHECK(out.find("name=\"=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=\"") != std::string::npos);
  CHECK(out.find("filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf") != std::string::npos);
  const Node root = parse_ok(out);
  CHECK(root.children.at(1).type_params.at("name") == "請求書.pdf");
  CHECK(root.children.at(3).type_params.at("name") == long_name + ".pdf");  // folded between words
  CHECK(root.children.at(3).filename == long_name + ".pdf");
  CHECK(build(message) == out);
  message.rfc2047_names_for_old_clients = false;
  CHECK(build(message) != out);
}

TEST_CASE("attachment bodies: base64 in 76-character CRLF lines at every length around a line's 57 bytes",
          "[mime][build]") {
  OutMessage message = japanese_message();
  message.attachments.clear();
  const std::vector<std::size_t> sizes{0, 1, 2, 3, 55, 56, 57, 58, 113, 114, 115, 171, 4096, 100001};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::string bytes(sizes[i], '\0');
    for (std::size_t b = 0; b < bytes.size(); ++b) bytes[b] = static_cast<char>((b * 131 + i * 7) & 0xff);
    message.attachments.push_back({"application/octet-stream", "", "f" + std::to_string(i) + ".bin", bytes});
  }
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  REQUIRE(root.children.size() == sizes.size() + 1);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    INFO("attachment of " << sizes[i] << " bytes");
    CHECK(root.children[i + 1].body == message.attachments[i].bytes);
    CHECK(root.children[i + 1].repairs.empty());
  }
  // Every base64 line but a body's last is exactly 76 characters.
  std::size_t full_lines = 0;
  for (std::size_t at = out.find("\r\n\r\n", out.find("f13.bin")) + 4; out.compare(at, 2, "\r\n") != 0;) {
    const std::size_t end = out.find("\r\n", at);
    if (end - at == 76) ++full_lines;
    else CHECK(out.compare(end + 2, 2, "\r\n") == 0);  // a short line is the last one
    at = end + 2;
  }
  CHECK(full_lines == 100001 / 57);
}

TEST_CASE("text and file names that look like build()'s attachment placeholders stay as they are",
          "[mime][build]") {
  OutMessage message = japanese_message();
  message.body_utf8 = "mugai-attachment-body-0\nmugai-attachment-body-1=_mugai_\n";
  message.attachments[0].filename = "mugai-attachment-body-1.pdf";
  const std::string out = build(message);
  check_wire_format(out);
  const Node root = parse_ok(out);
  REQUIRE(root.children.size() == 3);
  CHECK(text_of(root.children[0]) == "mugai-attachment-body-0\r\nmugai-attachment-body-1=_mugai_\r\n");
  CHECK(root.children[1].filename == "mugai-attachment-body-1.pdf");
  CHECK(root.children[1].body == message.attachments[0].bytes);
  CHECK(root.children[2].body == message.attachments[1].bytes);
}
