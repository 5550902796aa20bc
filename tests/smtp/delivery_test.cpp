// After DATA: the one table from outcome to reply (gateway/smtp/README.md "Every reply"), with the
// real pipeline, quarantine and audit log and a scripted transport in place of the downstream.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "mugai/core/audit_log.h"
#include "mugai/core/config_loader.h"
#include "mugai/smtp/delivery.h"

using namespace mugai::smtp;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/mugai-delivery-test-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

struct ScriptedTransport : Transport {
  TransportResult answer;
  int calls = 0;
  std::string last_message;
  Envelope last_envelope;
  TransportResult send(const Envelope& envelope, std::string_view trace, std::string_view message) override {
    ++calls;
    last_envelope = envelope;
    last_message = std::string(trace) + std::string(message);
    return answer;
  }
};

TransportResult outcome(TransportResult::Kind kind, int code, std::string enhanced, std::string text,
                        std::string stage, bool timed_out = false) {
  TransportResult result;
  result.kind = kind;
  result.code = code;
  result.enhanced = std::move(enhanced);
  result.text = std::move(text);
  result.stage = std::move(stage);
  result.timed_out = timed_out;
  return result;
}

const std::string kMessage =
    "From: a@internet.example\r\nTo: staff@city.example.jp\r\nSubject: hello\r\n"
    "Message-ID: <d1@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "body text\r\n";

struct Fixture {
  TempDir dir;
  mugai::core::Config config = mugai::core::embedded_config();
  ScriptedTransport transport;
  std::unique_ptr<mugai::core::AuditLog> audit;
  std::unique_ptr<Delivery> delivery;
  ConnectionInfo connection{"0123456789abcdef", "192.0.2.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256"};
  Envelope envelope;

  Fixture() {
    config.quarantine_dir = (dir.path / "quarantine").string();
    audit = std::make_unique<mugai::core::AuditLog>((dir.path / "audit.log").string());
    delivery = std::make_unique<Delivery>(transport, audit.get(), nullptr, "gw.test");
    envelope.helo = "client.example";
    envelope.esmtp = true;
    envelope.mail_from = "a@internet.example";
    envelope.recipients = {"staff@city.example.jp"};
  }
  Reply run(const std::string& message = kMessage) {
    return delivery->deliver(config, connection, envelope, message);
  }
  nlohmann::json last_audit_line() {
    std::ifstream in(dir.path / "audit.log");
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last = line;
    return nlohmann::json::parse(last);
  }
};

}  // namespace

TEST_CASE("250 only when the transport accepted, Received line first, original quarantined, audited") {
  Fixture f;
  f.transport.answer = outcome(TransportResult::Kind::accepted, 250, "2.0.0", "queued as X", "end-of-data");
  const Reply reply = f.run();
  CHECK(reply.code == 250);
  CHECK(reply.enhanced == "2.0.0");
  REQUIRE(f.transport.calls == 1);
  CHECK(f.transport.last_message.rfind("Received: from client.example ([192.0.2.7])\r\n\tby gw.test (mugai) with ESMTPS id 0123456789abcdef.", 0) == 0);
  CHECK(f.transport.last_message.find("Message-ID: <d1@test>") != std::string::npos);
  CHECK(f.transport.last_envelope.recipients == f.envelope.recipients);
  CHECK(fs::exists(f.dir.path / "quarantine"));
  const nlohmann::json line = f.last_audit_line();
  CHECK(line["event"] == "message");
  CHECK(line["verdict"] == "relayed");
  CHECK(line["message_id"] == "<d1@test>");
  CHECK(line["tls_version"] == "TLSv1.3");
  CHECK(line["profile"] == "lgwan-strict");
  CHECK(line["sha256_in"].get<std::string>().size() == 64);
  CHECK(line["sha256_out"].get<std::string>().size() == 64);
  CHECK(line["downstream"] == "end-of-data: 250 2.0.0 queued as X");
  CHECK(line["parts"].is_array());
  CHECK(line["quarantine_id"] == line["sha256_in"]);
}

TEST_CASE("invalid UTF-8 in envelope and downstream reply: the audit line is valid JSON with U+FFFD and verifies") {
  Fixture f;
  f.envelope.mail_from = "a\xff\xfe@internet.example";
  f.transport.answer = outcome(TransportResult::Kind::accepted, 250, "2.0.0", "queued \xc3( as X", "end-of-data");
  CHECK(f.run().code == 250);
  const nlohmann::json line = f.last_audit_line();  // parse throws on invalid UTF-8
  CHECK(line["mail_from"] == "a\xef\xbf\xbd\xef\xbf\xbd@internet.example");
  CHECK(line["downstream"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
  f.audit.reset();
  const mugai::core::AuditVerification check = mugai::core::verify_audit_log((f.dir.path / "audit.log").string());
  INFO(check.problem);
  CHECK(check.intact);
}

TEST_CASE("downstream trouble maps to 451 4.4.x, refusals to 554 with the downstream's code") {
  Fixture f;
  struct Row {
    TransportResult result;
    int code;
    std::string enhanced;
  };
  const Row rows[] = {
      {outcome(TransportResult::Kind::temporary, 0, "", "connection refused", "connect"), 451, "4.4.1"},
      {outcome(TransportResult::Kind::temporary, 0, "", "timeout", "rcpt", true), 451, "4.4.2"},
      {outcome(TransportResult::Kind::temporary, 0, "", "closed", "end-of-data"), 451, "4.4.2"},
      {outcome(TransportResult::Kind::temporary, 452, "4.3.1", "full", "end-of-data"), 451, "4.4.0"},
      {outcome(TransportResult::Kind::temporary, 0, "", "disk full", "outbox"), 451, "4.3.0"},
      {outcome(TransportResult::Kind::permanent, 550, "5.1.1", "unknown user", "rcpt"), 554, "5.1.1"},
      {outcome(TransportResult::Kind::permanent, 554, "", "no", "end-of-data"), 554, "5.0.0"},
  };
  for (const Row& row : rows) {
    INFO(row.result.summary());
    f.transport.answer = row.result;
    const Reply reply = f.run();
    CHECK(reply.code == row.code);
    CHECK(reply.enhanced == row.enhanced);
    if (row.result.code != 0) CHECK(reply.text.find(std::to_string(row.result.code)) != std::string::npos);
    CHECK(reply.text.find('\r') == std::string::npos);
    CHECK(f.last_audit_line()["verdict"] == (row.code == 451 ? "tempfail" : "rejected"));
  }
}

TEST_CASE("refused by the profile: 550 5.7.1, never handed on, original kept") {
  Fixture f;
  std::ifstream in(std::string(MUGAI_SOURCE_DIR) + "/samples/mail/exe-elf.eml", std::ios::binary);
  std::string sample((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(sample.empty());
  const Reply reply = f.run(sample);
  CHECK(reply.code == 550);
  CHECK(reply.enhanced == "5.7.1");
  CHECK(f.transport.calls == 0);
  const nlohmann::json line = f.last_audit_line();
  CHECK(line["verdict"] == "rejected");
  CHECK_FALSE(line["rejection_code"].get<std::string>().empty());
  CHECK(fs::exists(f.dir.path / "quarantine"));
}

TEST_CASE("an original that cannot be quarantined crosses nowhere: 451 4.3.0") {
  Fixture f;
  std::ofstream(f.dir.path / "blocker") << "x";
  f.config.quarantine_dir = (f.dir.path / "blocker" / "q").string();
  f.transport.answer = outcome(TransportResult::Kind::accepted, 250, "2.0.0", "ok", "end-of-data");
  const Reply reply = f.run();
  CHECK(reply.code == 451);
  CHECK(reply.enhanced == "4.3.0");
  CHECK(f.transport.calls == 0);
}

TEST_CASE("header_value: first field, case-insensitive, unfolded, header section only") {
  const std::string message =
      "Subject: one\r\n two\r\nmessage-id:   <x@y>  \r\nX: \x01\xff\r\n\r\nMessage-ID: <body@z>\r\n";
  CHECK(header_value(message, "subject") == "one two");
  CHECK(header_value(message, "Message-ID") == "<x@y>");
  CHECK(header_value(message, "x") == "??");
  CHECK(header_value(message, "to").empty());
  CHECK(header_value("no header section", "subject").empty());
}
