// The pipeline end to end, in process: real MIME in, real MIME out, report checked.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/core/pipeline.h"

using mugai::Action;
using mugai::TypeClass;
using namespace mugai::core;

namespace {

Rule rule(std::vector<TypeClass> classes, std::string action, int line) {
  Rule r;
  r.classes = std::move(classes);
  r.action = std::move(action);
  r.line = line;
  return r;
}

Config test_config() {
  Config config;
  config.notice_template_ja_en = "NOTICE {{quarantine_id}}\n{{parts_ja}}\n{{parts_en}}\n";
  Profile profile;
  profile.name = "test-strict";
  profile.rules = {rule({TypeClass::executable}, "reject-message", 1), rule({TypeClass::script}, "remove", 2),
                   rule({TypeClass::text}, "keep", 3), rule({TypeClass::html}, "to-text", 4),
                   rule({}, "remove", 5)};
  config.profiles.emplace(profile.name, profile);
  return config;
}

Result run(const std::string& input, InputKind kind = InputKind::message, std::string filename = "") {
  static const Config config = test_config();
  Request request;
  request.input = input;
  request.kind = kind;
  request.filename = std::move(filename);
  return sanitise(request, config, config.profiles.at("test-strict"));
}

const PartReport* part_at(const Report& report, const std::string& path) {
  for (const auto& part : report.parts)
    if (part.path == path) return &part;
  return nullptr;
}

bool has_finding(const std::vector<mugai::Finding>& findings, const std::string& code) {
  for (const auto& finding : findings)
    if (finding.code == code) return true;
  return false;
}

// "MZ" + padding + "PE\0\0": enough for libmagic to say application/x-dosexec.
std::string pe_base64() {
  return "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
         "gAAAAA4fug4AtAnNIbgBTM0hVGhpcyBwcm9ncmFtIGNhbm5vdCBiZSBydW4gaW4gRE9TIG1vZGUu\r\n"
         "DQ0KJAAAAAAAAABQRQAATAEDAAAAAAAAAAAAAAAAAOAAAgELAQAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n";
}

const std::string kIsoJpText =
    "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\r\n"
    "To: staff@city.example.jp\r\n"
    "Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\n"
    "Message-ID: <1@example.jp>\r\n"
    "Received: from evil by relay\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
    "Content-Transfer-Encoding: 7bit\r\n"
    "\r\n"
    "\x1B$B$3$s$K$A$O\x1B(B\r\n";

}  // namespace

TEST_CASE("ISO-2022-JP text mail is delivered as UTF-8 with notice and safe headers", "[pipeline]") {
  const Result result = run(kIsoJpText);
  REQUIRE(result.delivered);
  CHECK(result.report.verdict == "delivered");
  CHECK(result.report.quarantine_id == result.report.sha256_before);
  CHECK(result.output.find("X-Mugai-Verdict: delivered") != std::string::npos);
  CHECK(result.output.find("Received:") == std::string::npos);
  CHECK(result.output.find("Message-ID: <1@example.jp>") != std::string::npos);
  const PartReport* body = part_at(result.report, "1");
  REQUIRE(body);
  CHECK(body->role == "body");
  CHECK(body->action == Action::kept);
  CHECK(body->module == "text");
  CHECK(body->rule_line == 3);
}

TEST_CASE("a PE named .pdf rejects the whole message", "[pipeline]") {
  const std::string mail =
      "From: a@example.com\r\nTo: b@city.example.jp\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplease see attached\r\n"
      "--b1\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" + pe_base64() + "--b1--\r\n";
  const Result result = run(mail);
  CHECK_FALSE(result.delivered);
  CHECK(result.output.empty());
  CHECK(result.report.verdict == "rejected");
  CHECK(result.report.rejection_code == "policy.executable");
  const PartReport* attachment = part_at(result.report, "2");
  REQUIRE(attachment);
  CHECK(attachment->action == Action::rejected);
  CHECK(has_finding(attachment->findings, "type-mismatch"));
}

TEST_CASE("unknown attachment types are removed by default deny", "[pipeline]") {
  const std::string mail =
      "From: a@example.com\r\nTo: b@city.example.jp\r\nSubject: data\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: text/plain\r\n\r\nbody text\r\n"
      "--b1\r\nContent-Type: application/octet-stream; name=\"blob.bin\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\r\n--b1--\r\n";
  const Result result = run(mail);
  REQUIRE(result.delivered);
  const PartReport* blob = part_at(result.report, "2");
  REQUIRE(blob);
  CHECK(blob->action == Action::removed);
  CHECK(blob->rule_line == 5);
  CHECK(result.output.find("blob.bin") != std::string::npos);  // named in the notice
  CHECK(result.output.find("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8") == std::string::npos);
}

TEST_CASE("multipart/alternative keeps text/plain and drops the HTML", "[pipeline]") {
  const std::string mail =
      "From: a@example.com\r\nTo: b@city.example.jp\r\nSubject: alt\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain version\r\n"
      "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html <script>alert(1)</script></p>\r\n"
      "--b1--\r\n";
  const Result result = run(mail);
  REQUIRE(result.delivered);
  CHECK(part_at(result.report, "1")->action == Action::kept);
  CHECK(part_at(result.report, "2")->action == Action::removed);
  CHECK(result.output.find("alert(1)") == std::string::npos);
  CHECK(result.output.find("Content-Type: text/html") == std::string::npos);
}

TEST_CASE("an oversized message is rejected before parsing", "[pipeline]") {
  Config config = test_config();
  config.limits.max_message_bytes = 100;
  Request request;
  const std::string big(1000, 'x');
  request.input = big;
  const Result result = sanitise(request, config, config.profiles.at("test-strict"));
  CHECK_FALSE(result.delivered);
  CHECK(result.report.rejection_code == "limit.max-message-bytes");
  REQUIRE_FALSE(result.report.parts.empty());
  CHECK(result.report.parts.front().action == Action::rejected);
}

TEST_CASE("file mode: executables rejected, text delivered", "[pipeline]") {
  const Result script = run("#!/bin/sh\necho owned\n", InputKind::file, "notes.txt");
  CHECK_FALSE(script.delivered);
  CHECK(script.report.parts.at(0).action == Action::rejected);

  const Result text = run("hello\n", InputKind::file, "hello.txt");
  REQUIRE(text.delivered);
  CHECK(text.output_filename == "hello.txt");
  CHECK(text.output == "hello\n");

  const Result renamed_launcher = run("hello\n", InputKind::file, "readme.txt.exe");
  CHECK_FALSE(renamed_launcher.delivered);
  CHECK(has_finding(renamed_launcher.report.parts.at(0).findings, "name.double-extension"));
}

TEST_CASE("output is deterministic", "[pipeline]") {
  CHECK(run(kIsoJpText).output == run(kIsoJpText).output);
}

TEST_CASE("a PE disguised as the text/plain body is still found by content", "[pipeline]") {
  // The fast path for text bodies must never skip libmagic for binary bytes.
  const std::string mail =
      "From: a@example.com\r\nTo: b@city.example.jp\r\nSubject: body\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      pe_base64();
  const Result result = run(mail);
  CHECK_FALSE(result.delivered);
  CHECK(result.report.rejection_code == "policy.executable");
}
