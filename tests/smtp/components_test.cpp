// The SMTP proxy's building blocks that need no peer: client networks, dot-stuffing towards the
// downstream, the outbox's write-then-rename, and the settings check.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <random>
#include <string>

#include "mugai/smtp/access.h"
#include "mugai/smtp/outbox.h"
#include "mugai/smtp/relay_client.h"
#include "mugai/smtp/session_settings.h"

using namespace mugai::smtp;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/mugai-smtp-test-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::permissions(path, fs::perms::owner_all, ignored);
    fs::remove_all(path, ignored);
  }
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("client networks: IPv4, IPv6, IPv4-mapped, and bad entries refused") {
  std::string error;
  const auto list = NetworkList::parse({"127.0.0.0/8", "192.0.2.128/25", "2001:db8::/32", "::1", "10.1.2.3"}, error);
  REQUIRE(list);
  CHECK(list->contains("127.0.0.1"));
  CHECK(list->contains("::ffff:127.4.5.6"));  // IPv4 seen on a dual-stack socket
  CHECK(list->contains("192.0.2.200"));
  CHECK_FALSE(list->contains("192.0.2.127"));
  CHECK(list->contains("2001:db8:1::5"));
  CHECK_FALSE(list->contains("2001:db9::1"));
  CHECK(list->contains("::1"));
  CHECK_FALSE(list->contains("::2"));
  CHECK(list->contains("10.1.2.3"));
  CHECK_FALSE(list->contains("10.1.2.4"));
  CHECK_FALSE(list->contains("not an address"));
  CHECK_FALSE(list->contains(""));
  const auto mapped = NetworkList::parse({"::ffff:10.0.0.0/104"}, error);
  REQUIRE(mapped);
  CHECK(mapped->contains("10.200.0.1"));
  CHECK_FALSE(mapped->contains("11.0.0.1"));
  for (const std::string bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "example.jp", "10.0.0.0/-1",
                                "::ffff:10.0.0.0/95"}) {
    INFO(bad);
    CHECK_FALSE(NetworkList::parse({bad}, error));
    CHECK_FALSE(error.empty());
  }
  const auto none = NetworkList::parse({}, error);
  REQUIRE(none);
  CHECK_FALSE(none->contains("127.0.0.1"));  // empty list: nobody
  CHECK(normalise_ip("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(normalise_ip("2001:db8::1") == "2001:db8::1");
}

TEST_CASE("towards the downstream: dot-stuffing, CRLF only, one terminator") {
  CHECK(stuff_for_data("a\r\n.b\r\n..c\r\n") == "a\r\n..b\r\n...c\r\n.\r\n");
  CHECK(stuff_for_data(".") == "..\r\n.\r\n");
  CHECK(stuff_for_data("") == ".\r\n");
  CHECK(stuff_for_data("no end") == "no end\r\n.\r\n");
  // Stray line ends in our own output become CRLF: "\n.\n" cannot end DATA downstream.
  CHECK(stuff_for_data("x\n.\ny\r.\rz") == "x\r\n..\r\ny\r\n..\r\nz\r\n.\r\n");
  // Fed in pieces (a CRLF or a leading dot split across chunks) it is the same.
  const std::string text = "a\r\n.b\r\n\r\n.\r\nc\rd\n.e";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    DataStuffer stuffer;
    std::string out;
    stuffer.feed(std::string_view(text).substr(0, cut), out);
    stuffer.feed(std::string_view(text).substr(cut), out);
    stuffer.finish(out);
    CHECK(out == stuff_for_data(text));
  }
}

TEST_CASE("dot-stuffing agrees with a byte-at-a-time reading of the rule on random input") {
  // The rule, one byte at a time: every CR, LF or CRLF becomes CRLF; a dot starting a line is doubled.
  const auto reference = [](std::string_view in) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '\r' || in[i] == '\n') {
        if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
        out += "\r\n";
        line_start = true;
        continue;
      }
      if (line_start && in[i] == '.') out += '.';
      out += in[i];
      line_start = false;
    }
    if (!line_start) out += "\r\n";
    return out + ".\r\n";
  };
  std::mt19937 random(5321);
  const std::string alphabet = "..\r\n\r\nab";
  for (int round = 0; round < 2000; ++round) {
    std::string text(random() % 40, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    INFO(text);
    CHECK(stuff_for_data(text) == reference(text));
  }
}

TEST_CASE("outbox: write-then-rename, unique names, envelope lines, no temporary left") {
  TempDir dir;
  Outbox outbox((dir.path / "out").string());
  std::string error;
  REQUIRE(outbox.prepare(error));
  Envelope envelope;
  envelope.mail_from = "a@internet.example";
  envelope.recipients = {"x@city.example.jp", "y@city.example.jp"};
  std::set<std::string> names;
  for (int i = 0; i < 5; ++i) {
    const TransportResult result = outbox.send(envelope, "Received: x\r\n", "Subject: same\r\n\r\nbody\r\n");
    REQUIRE(result.kind == TransportResult::Kind::accepted);
    names.insert(result.text);
  }
  CHECK(names.size() == 5);  // identical messages never overwrite each other
  CHECK(fs::is_empty(dir.path / "out" / "tmp"));
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path / "out")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    CHECK(entry.path().extension() == ".eml");
    CHECK(read(entry.path()) ==
          "Return-Path: <a@internet.example>\r\nX-Mugai-Envelope-To: <x@city.example.jp>,\r\n"
          " <y@city.example.jp>\r\nReceived: x\r\nSubject: same\r\n\r\nbody\r\n");
  }
  CHECK(files == 5);
}

TEST_CASE("outbox: an unusable directory is a temporary failure, never a success") {
  if (geteuid() == 0) {
    // root ignores permissions: use a path below a regular file instead.
    TempDir dir;
    std::ofstream(dir.path / "file") << "x";
    Outbox outbox((dir.path / "file" / "out").string());
    std::string error;
    CHECK_FALSE(outbox.prepare(error));
    const TransportResult result = outbox.send(Envelope{}, "", "x\r\n");
    CHECK(result.kind == TransportResult::Kind::temporary);
    CHECK(result.stage == "outbox");
    return;
  }
  TempDir dir;
  Outbox outbox((dir.path / "out").string());
  std::string error;
  REQUIRE(outbox.prepare(error));
  fs::permissions(dir.path / "out" / "tmp", fs::perms::owner_read | fs::perms::owner_exec);
  CHECK(outbox.send(Envelope{}, "", "x\r\n").kind == TransportResult::Kind::temporary);
}

TEST_CASE("serve settings: unusable values are refused at start-up") {
  mugai::core::Config config;
  config.serve.accepted_domains = {"City.Example.JP."};
  std::string error;
  auto settings = settings_from_config(config, error);
  REQUIRE(settings);
  CHECK(settings->accepted_domains == std::vector<std::string>{"city.example.jp"});
  CHECK_FALSE(settings->tls_available);
  config.serve.require_starttls = true;
  CHECK_FALSE(settings_from_config(config, error));
  config.serve.require_starttls = false;
  config.serve.tls_certificate_file = "cert.pem";
  CHECK_FALSE(settings_from_config(config, error));  // key missing
  config.serve.tls_key_file = "key.pem";
  CHECK(settings_from_config(config, error)->tls_available);
  config.serve.max_recipients = 0;
  CHECK_FALSE(settings_from_config(config, error));
  config.serve.max_recipients = 1;
  config.serve.hostname = "two words";
  CHECK_FALSE(settings_from_config(config, error));
}
