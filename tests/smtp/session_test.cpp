// The pure ESMTP dialogue and its framing: every rule of gateway/smtp/README.md that does not need
// a socket, including the smuggling and injection defences.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mugai/smtp/address.h"
#include "mugai/smtp/line_reader.h"
#include "mugai/smtp/session.h"

using namespace mugai::smtp;

namespace {

struct RecordingHandler : SessionHandler {
  std::vector<Envelope> envelopes;
  std::vector<std::string> messages;
  std::vector<Refusal> refusals;
  Reply answer{250, "2.0.0", "Ok: relayed"};

  Reply deliver(const ConnectionInfo&, const Envelope& envelope, std::string message) override {
    envelopes.push_back(envelope);
    messages.push_back(std::move(message));
    return answer;
  }
  void refused(const ConnectionInfo&, const Envelope&, const Refusal& refusal) override {
    refusals.push_back(refusal);
  }
};

SessionSettings test_settings() {
  SessionSettings s;
  s.hostname = "gw.test";
  s.max_message_bytes = 1000;
  s.max_recipients = 3;
  s.max_errors = 5;
  s.accepted_domains = {"city.example.jp", "town.example.jp"};
  return s;
}

// Reply codes, in order, from a block of reply lines (continuation lines skipped).
std::vector<int> codes(const std::string& replies) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start < replies.size()) {
    const std::size_t end = replies.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = replies.substr(start, end - start);
    REQUIRE(line.size() >= 4);
    if (line[3] == ' ') out.push_back(std::stoi(line.substr(0, 3)));
    start = end + 2;
  }
  return out;
}

struct Fixture {
  SessionSettings settings = test_settings();
  RecordingHandler handler;
  Session session{settings, ConnectionInfo{"s1", "192.0.2.1", "", ""}, handler};
  std::string send(const std::string& bytes) { return session.feed(bytes); }
};

}  // namespace

TEST_CASE("command lines end at CRLF, bare LF, bare CR and long lines are flagged") {
  CommandLineReader reader;
  std::string_view input = "NOOP\r\nHELO x\nRSET\rX\r\nQU";
  auto line = reader.take(input);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::ok);
  CHECK(line->text == "NOOP");
  line = reader.take(input);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::bare_lf);
  line = reader.take(input);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::bare_cr);
  CHECK_FALSE(reader.take(input));
  CHECK(input.empty());
  std::string_view rest = "IT\r\n";
  line = reader.take(rest);
  REQUIRE(line);
  CHECK(line->text == "QUIT");

  const std::string longest(998, 'a');
  std::string ok_line = longest + "\r\n";
  std::string_view ok_view = ok_line;
  line = reader.take(ok_view);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::ok);
  std::string too_long = longest + "a\r\nNOOP\r\n";
  std::string_view long_view = too_long;
  line = reader.take(long_view);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::too_long);
  line = reader.take(long_view);
  REQUIRE(line);
  CHECK(line->text == "NOOP");
}

TEST_CASE("an endless command line is discarded, not buffered") {
  CommandLineReader reader;
  const std::string chunk(65536, 'x');
  for (int i = 0; i < 100; ++i) {
    std::string_view view = chunk;
    CHECK_FALSE(reader.take(view));
  }
  std::string_view end = "\r\n";
  const auto line = reader.take(end);
  REQUIRE(line);
  CHECK(line->status == CommandLine::Status::too_long);
}

TEST_CASE("DATA: dot-unstuffing and the terminator, fed whole or byte by byte") {
  const std::string wire = "Subject: x\r\n\r\n..leading dot\r\n.\r\n\r\nlast\r\n.\r\nNOOP\r\n";
  const std::string expected = "Subject: x\r\n\r\n.leading dot\r\n";
  SECTION("whole") {
    DataReader reader(1000, 0);
    std::string_view input = wire;
    REQUIRE(reader.take(input));
    CHECK(reader.message() == expected);
    CHECK(input == "\r\nlast\r\n.\r\nNOOP\r\n");
  }
  SECTION("byte by byte") {
    DataReader reader(1000, 0);
    bool done = false;
    std::size_t used = 0;
    for (; used < wire.size() && !done; ++used) {
      std::string_view one(&wire[used], 1);
      done = reader.take(one);
      CHECK(one.empty());
    }
    REQUIRE(done);
    CHECK(reader.message() == expected);
    CHECK(used == expected.size() + 4);  // + the stuffed dot + ".\r\n"
  }
}

TEST_CASE("DATA: bare LF or bare CR never end the message (SMTP smuggling)") {
  for (const std::string attack : {"a\n.\nMAIL FROM:<x@evil>\r\n", "a\r.\r\nMAIL\r\n",
                                   "a\r\n.\nMAIL\r\n", "a\n.\r\nb\r\n", "a\r\n.\r\rMAIL\r\n"}) {
    DataReader reader(10000, 0);
    std::string_view input = attack;
    CHECK_FALSE(reader.take(input));
    CHECK((reader.bare_lf() || reader.bare_cr()));
    std::string_view end = "\r\n.\r\n";
    CHECK(reader.take(end));
  }
}

TEST_CASE("DATA: past the size limit nothing is kept, the end is still found") {
  DataReader reader(100, 50);
  const std::string line(78, 'x');
  for (int i = 0; i < 1000; ++i) {
    std::string chunk = line + "\r\n";
    std::string_view view = chunk;
    REQUIRE_FALSE(reader.take(view));
  }
  std::string_view end = ".\r\n";
  REQUIRE(reader.take(end));
  CHECK(reader.oversize());
  CHECK(reader.message().empty());
  CHECK(reader.message().capacity() < 100);
  CHECK(reader.size() == 80 * 1000);
}

TEST_CASE("DATA: a line over 998 octets is flagged, 998 is fine") {
  DataReader ok(5000, 0);
  std::string good = std::string(998, 'a') + "\r\n.\r\n";
  std::string_view view = good;
  REQUIRE(ok.take(view));
  CHECK_FALSE(ok.long_line());
  DataReader bad(5000, 0);
  std::string longer = "." + std::string(999, 'a') + "\r\n.\r\n";  // stuffed dot not counted
  view = longer;
  REQUIRE(bad.take(view));
  CHECK(bad.long_line());
}

TEST_CASE("paths: strict brackets, lengths, ASCII, parameters") {
  auto p = parse_path("<Taro@City.Example.JP> SIZE=100 BODY=8BITMIME", true, false);
  REQUIRE(p.status == ParsedPath::Status::ok);
  CHECK(p.address == "Taro@city.example.jp");
  CHECK(p.domain == "city.example.jp");
  REQUIRE(p.parameters.size() == 2);
  CHECK(p.parameters[0].first == "SIZE");
  CHECK(p.parameters[1].second == "8BITMIME");
  CHECK(parse_path("<>", true, false).status == ParsedPath::Status::ok);
  CHECK(parse_path("<>", false, false).status == ParsedPath::Status::bad_address);
  CHECK(parse_path("taro@city.example.jp", true, false).status == ParsedPath::Status::syntax);
  CHECK(parse_path("<@relay.example:a@city.example.jp>", false, false).address == "a@city.example.jp");
  CHECK(parse_path("<\"a>b\"@city.example.jp>", false, false).status == ParsedPath::Status::ok);
  CHECK(parse_path("<a..b@x.jp>", false, false).status == ParsedPath::Status::bad_address);
  CHECK(parse_path("<a@-x.jp>", false, false).status == ParsedPath::Status::bad_address);
  CHECK(parse_path("<@x.jp>", false, false).status == ParsedPath::Status::bad_address);
  CHECK(parse_path("<" + std::string(65, 'a') + "@x.jp>", false, false).status ==
        ParsedPath::Status::bad_address);
  CHECK(parse_path("<\xe5\xb1\xb1@x.jp>", false, false).status == ParsedPath::Status::non_ascii);
  CHECK(parse_path("<Postmaster>", false, true).address == "postmaster");
  CHECK(parse_path("<a@x.jp>SIZE=1", false, false).status == ParsedPath::Status::syntax);
}

TEST_CASE("a plain dialogue delivers once and answers with the handler's reply") {
  Fixture f;
  CHECK(f.session.greeting() == "220 gw.test ESMTP mugai\r\n");
  const std::string ehlo = f.send("EHLO client.example\r\n");
  CHECK(ehlo.find("250-PIPELINING\r\n") != std::string::npos);
  CHECK(ehlo.find("250-SIZE 1000\r\n") != std::string::npos);
  CHECK(ehlo.find("250-8BITMIME\r\n") != std::string::npos);
  CHECK(ehlo.find("250 ENHANCEDSTATUSCODES\r\n") != std::string::npos);
  CHECK(ehlo.find("STARTTLS") == std::string::npos);  // no certificate configured
  CHECK(f.send("MAIL FROM:<a@sender.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(f.send("RCPT TO:<b@City.Example.JP>\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(f.send("DATA\r\n").substr(0, 4) == "354 ");
  CHECK(f.send("Subject: hi\r\n\r\nbody\r\n.\r\n") == "250 2.0.0 Ok: relayed\r\n");
  REQUIRE(f.handler.messages.size() == 1);
  CHECK(f.handler.messages[0] == "Subject: hi\r\n\r\nbody\r\n");
  CHECK(f.handler.envelopes[0].mail_from == "a@sender.example");
  CHECK(f.handler.envelopes[0].recipients == std::vector<std::string>{"b@city.example.jp"});
  CHECK(f.send("QUIT\r\n") == "221 2.0.0 gw.test closing connection\r\n");
  CHECK(f.session.closing());
}

TEST_CASE("pipelined commands are answered in order within one read") {
  Fixture f;
  const std::string replies = f.send(
      "EHLO c\r\nMAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\n"
      "RCPT TO:<y@evil.example>\r\nRCPT TO:<z@town.example.jp>\r\nDATA\r\n"
      "Subject: p\r\n\r\n1\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n"
      "Subject: q\r\n\r\n2\r\n.\r\nQUIT\r\n");
  CHECK(codes(replies) == std::vector<int>{250, 250, 250, 550, 250, 354, 250, 250, 250, 354, 250, 221});
  REQUIRE(f.handler.envelopes.size() == 2);
  CHECK(f.handler.envelopes[0].recipients.size() == 2);
  CHECK(f.handler.envelopes[1].mail_from.empty());
  REQUIRE(f.handler.refusals.size() == 1);
  CHECK(f.handler.refusals[0].reply.code == 550);
  CHECK(f.handler.refusals[0].argument == "y@evil.example");
}

TEST_CASE("out-of-order commands get 503, DATA without recipients 554") {
  Fixture f;
  f.settings.max_errors = 100;
  CHECK(codes(f.send("MAIL FROM:<a@s.example>\r\n")) == std::vector<int>{503});
  CHECK(codes(f.send("EHLO c\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n")) ==
        std::vector<int>{250, 503, 503});
  CHECK(codes(f.send("MAIL FROM:<a@s.example>\r\nMAIL FROM:<a@s.example>\r\nDATA\r\n")) ==
        std::vector<int>{250, 503, 554});
  CHECK(f.handler.messages.empty());
}

TEST_CASE("relay control: only accepted domains, exactly") {
  Fixture f;
  f.send("EHLO c\r\nMAIL FROM:<a@s.example>\r\n");
  CHECK(codes(f.send("RCPT TO:<x@sub.city.example.jp>\r\n")) == std::vector<int>{550});
  CHECK(codes(f.send("RCPT TO:<x@[192.0.2.1]>\r\n")) == std::vector<int>{550});
  CHECK(codes(f.send("RCPT TO:<x@city.example.jp.evil.example>\r\n")) == std::vector<int>{550});
  CHECK(codes(f.send("RCPT TO:<x%city.example.jp@evil.example>\r\n")) == std::vector<int>{550});
  CHECK(f.send("RCPT TO:<Postmaster>\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(f.send("RCPT TO:<x@CITY.example.jp.>\r\n").substr(0, 3) == "501");  // trailing dot: syntax
}

TEST_CASE("recipient limit: 452 4.5.3 after max_recipients, duplicates count once") {
  Fixture f;
  f.send("EHLO c\r\nMAIL FROM:<a@s.example>\r\n");
  CHECK(codes(f.send("RCPT TO:<1@city.example.jp>\r\nRCPT TO:<1@city.example.jp>\r\n"
                     "RCPT TO:<2@city.example.jp>\r\nRCPT TO:<3@city.example.jp>\r\n"
                     "RCPT TO:<4@city.example.jp>\r\n")) ==
        std::vector<int>{250, 250, 250, 250, 452});
  CHECK(f.send("DATA\r\nx\r\n.\r\n").find("250 2.0.0") != std::string::npos);
  REQUIRE(f.handler.envelopes.size() == 1);
  CHECK(f.handler.envelopes[0].recipients.size() == 3);
}

TEST_CASE("SIZE: 552 at MAIL when declared too big, 552 after DATA when sent too big") {
  Fixture f;
  f.send("EHLO c\r\n");
  CHECK(f.send("MAIL FROM:<a@s.example> SIZE=1001\r\n") ==
        "552 5.3.4 Message size exceeds fixed maximum message size\r\n");
  CHECK(f.send("MAIL FROM:<a@s.example> SIZE=99999999999999999999\r\n").substr(0, 3) == "552");
  CHECK(codes(f.send("MAIL FROM:<a@s.example> SIZE=10\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n")) ==
        std::vector<int>{250, 250, 354});
  const std::string big(2000, 'x');
  CHECK(f.send(big + "\r\n" + big + "\r\n.\r\n") ==
        "552 5.3.4 Message size exceeds fixed maximum message size\r\n");
  CHECK(f.handler.messages.empty());
  CHECK(f.send("NOOP\r\n") == "250 2.0.0 Ok\r\n");  // still in sync after the discarded content
}

TEST_CASE("smuggling: a bare-LF dot inside DATA neither ends it nor starts a second message") {
  Fixture f;
  const std::string replies = f.send(
      "EHLO c\r\nMAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n"
      "Subject: first\r\n\r\nhello\n.\nMAIL FROM:<spoof@bank.example>\r\n"
      "RCPT TO:<x@city.example.jp>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n");
  CHECK(codes(replies) == std::vector<int>{250, 250, 250, 354, 550});
  CHECK(replies.find("550 5.6.11 ") != std::string::npos);
  CHECK(f.handler.messages.empty());
  REQUIRE(f.handler.refusals.size() == 1);
  CHECK(f.handler.refusals[0].stage == "data");
}

TEST_CASE("a message with a line over 998 octets is refused 550 5.6.0") {
  Fixture f;
  f.settings.max_message_bytes = 5000;
  f.send("EHLO c\r\nMAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n");
  CHECK(f.send(std::string(999, 'a') + "\r\n.\r\n").substr(0, 10) == "550 5.6.0 ");
  CHECK(f.handler.messages.empty());
}

TEST_CASE("bad command lines: bare LF, too long, controls, unknown, 8-bit addresses") {
  Fixture f;
  f.settings.max_errors = 100;
  CHECK(f.send("EHLO c\n") == "500 5.5.2 Error: bare LF or CR in command; lines must end with CRLF\r\n");
  CHECK(f.send(std::string(1200, 'N') + "\r\n") == "500 5.5.2 Error: line too long\r\n");
  CHECK(f.send(std::string("NO\0OP\r\n", 7)).substr(0, 9) == "500 5.5.2");
  CHECK(f.send("FOO\r\n").substr(0, 9) == "500 5.5.2");
  CHECK(f.send("BDAT 10 LAST\r\n").substr(0, 9) == "502 5.5.1");
  CHECK(f.send("VRFY root\r\n").substr(0, 9) == "252 2.5.2");
  CHECK(f.send("EXPN staff\r\n").substr(0, 9) == "502 5.5.1");
  f.send("EHLO c\r\n");
  CHECK(f.send("MAIL FROM:<\xe5\xb1\xb1@s.example>\r\n").substr(0, 9) == "553 5.6.7");
  CHECK(f.send("MAIL FROM:<a@s.example> AUTH=<>\r\n").substr(0, 9) == "555 5.5.4");
  CHECK(f.send("HELO c\r\nMAIL FROM:<a@s.example> SIZE=5\r\n").find("555 5.5.4") != std::string::npos);
}

TEST_CASE("too many errors: 421 and close") {
  Fixture f;
  const std::string replies = f.send("X1\r\nX2\r\nX3\r\nX4\r\nX5\r\nX6\r\nX7\r\n");
  CHECK(codes(replies) == std::vector<int>{500, 500, 500, 500, 500, 421});
  CHECK(f.session.closing());
  CHECK(f.send("NOOP\r\n").empty());  // nothing is read after closing
}

TEST_CASE("junk commands beyond the limit count as errors") {
  Fixture f;
  std::string noops;
  for (int i = 0; i < Session::kMaxJunkCommands + 10; ++i) noops += "NOOP\r\n";
  const std::string replies = f.send(noops);
  CHECK(f.session.closing());
  CHECK(replies.rfind("421 4.7.0 ") == replies.size() - 62);
}

TEST_CASE("HTTP requests close the session at once") {
  Fixture f;
  CHECK(codes(f.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) == std::vector<int>{421});
  CHECK(f.session.closing());
}

TEST_CASE("STARTTLS: offered only with a certificate, pipelined bytes after it are dropped") {
  Fixture f;
  f.settings.tls_available = true;
  CHECK(f.send("EHLO c\r\n").find("250 STARTTLS\r\n") != std::string::npos);
  CHECK(f.send("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  CHECK(f.session.wants_tls());
  CHECK(f.send("RCPT TO:<x@city.example.jp>\r\n").empty());  // nothing is read before the handshake
  f.session.tls_started("TLSv1.3", "TLS_AES_256_GCM_SHA384");
  CHECK_FALSE(f.session.wants_tls());
  // The injected MAIL was dropped and the EHLO forgotten: MAIL now needs a fresh EHLO.
  CHECK(codes(f.send("MAIL FROM:<a@s.example>\r\n")) == std::vector<int>{503});
  const std::string ehlo = f.send("EHLO c\r\n");
  CHECK(ehlo.find("STARTTLS") == std::string::npos);
  CHECK(codes(f.send("STARTTLS\r\n")) == std::vector<int>{503});
  CHECK(codes(f.send("MAIL FROM:<a@s.example>\r\n")) == std::vector<int>{250});
}

TEST_CASE("STARTTLS without a certificate is not implemented, require_tls refuses MAIL with 530") {
  Fixture f;
  CHECK(codes(f.send("EHLO c\r\nSTARTTLS\r\n")) == std::vector<int>{250, 502});
  Fixture g;
  g.settings.tls_available = true;
  g.settings.require_tls = true;
  CHECK(g.send("EHLO c\r\nMAIL FROM:<a@s.example>\r\n").find("530 5.7.0") != std::string::npos);
  REQUIRE(g.handler.refusals.size() == 1);
  CHECK(g.handler.refusals[0].stage == "mail");
}

TEST_CASE("handler verdicts pass through, a broken one becomes 451") {
  Fixture f;
  f.handler.answer = Reply{554, "5.1.1", "downstream refused"};
  f.send("EHLO c\r\nMAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n");
  CHECK(f.send("x\r\n.\r\n") == "554 5.1.1 downstream refused\r\n");
  f.handler.answer = Reply{0, "", "nonsense"};
  f.send("MAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n");
  CHECK(f.send("x\r\n.\r\n").substr(0, 9) == "451 4.3.0");
  CHECK(f.session.errors() == 0);  // message verdicts are not client errors
}

TEST_CASE("timeouts and shutdown answer 421 and close") {
  Fixture f;
  CHECK(f.session.timeout_reply().substr(0, 9) == "421 4.4.2");
  CHECK(f.session.closing());
  Fixture g;
  CHECK(g.session.shutdown_reply().substr(0, 9) == "421 4.3.2");
}

TEST_CASE("smuggling: a bare-CR dot is content, the whole DATA is one message") {
  Fixture f;
  const std::string replies = f.send(
      "EHLO c\r\nMAIL FROM:<a@s.example>\r\nRCPT TO:<x@city.example.jp>\r\nDATA\r\n"
      "Subject: first\r\n\r\nhello\r.\rMAIL FROM:<spoof@bank.example>\r\n"
      "RCPT TO:<x@city.example.jp>\r\nDATA\r\nSubject: smuggled\r\n\r\nx=\r\r\n.\r\n");
  CHECK(codes(replies) == std::vector<int>{250, 250, 250, 354, 250});
  REQUIRE(f.handler.messages.size() == 1);
  const std::string& message = f.handler.messages[0];
  CHECK(message.find("hello\r.\rMAIL FROM:<spoof@bank.example>\r\n") != std::string::npos);
  CHECK(message.find("Subject: smuggled") != std::string::npos);  // text inside the first message
  CHECK(f.handler.refusals.empty());
}
