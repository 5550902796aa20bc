// The ESMTP dialogue with arbitrary client bytes (no sockets: the Session is pure).
// Oracles beyond "no crash":
//  - framing independence: the same bytes fed at once and in pieces give the same replies and the
//    same delivered messages (unless STARTTLS was accepted, which by design drops what followed it
//    in the same read);
//  - every reply line is "ddd" + ' ' or '-' + printable ASCII + CRLF;
//  - a delivered message is within the size limit and has only CRLF line ends, no line over 998
//    octets (what the smuggling and line rules promise the pipeline).
// The first input byte picks the settings variant and the piece size.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/smtp/session.h"

namespace {

using namespace mugai::smtp;

struct Handler : SessionHandler {
  std::vector<std::string> delivered;
  Reply deliver(const ConnectionInfo&, const Envelope& envelope, std::string message) override {
    if (envelope.recipients.empty()) std::abort();
    delivered.push_back(message);
    if (message.size() % 3 == 0) return Reply{451, "4.3.0", "later"};
    return Reply{250, "2.0.0", "Ok"};
  }
};

void check_replies(std::string_view replies) {
  std::size_t start = 0;
  while (start < replies.size()) {
    const std::size_t end = replies.find("\r\n", start);
    if (end == std::string_view::npos) std::abort();
    const std::string_view line = replies.substr(start, end - start);
    if (line.size() < 4) std::abort();
    for (int i = 0; i < 3; ++i)
      if (line[static_cast<std::size_t>(i)] < '0' || line[static_cast<std::size_t>(i)] > '9') std::abort();
    if (line[3] != ' ' && line[3] != '-') std::abort();
    for (const char c : line)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) std::abort();
    start = end + 2;
  }
}

void check_message(const std::string& message, std::uint64_t max_bytes) {
  if (message.size() > max_bytes) std::abort();
  std::size_t line = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    // A bare CR is content (README: SMTP proxy); a bare LF is never accepted.
    if (c == '\n' && (i == 0 || message[i - 1] != '\r')) std::abort();
    if (++line > 1000) std::abort();
    if (c == '\n') line = 0;
  }
}

struct Run {
  std::string replies;
  std::vector<std::string> delivered;
  bool tls = false;
};

Run run(const SessionSettings& settings, std::string_view input, std::size_t piece) {
  Handler handler;
  Session session(settings, ConnectionInfo{"fuzz", "192.0.2.1", "", ""}, handler);
  Run result;
  result.replies = session.greeting();
  while (!input.empty() && !session.closing()) {
    const std::string_view chunk = input.substr(0, piece);
    input.remove_prefix(chunk.size());
    result.replies += session.feed(chunk);
    if (session.wants_tls()) {
      result.tls = true;
      session.tls_started("TLSv1.3", "fuzz");
    }
  }
  if (!session.closing()) result.replies += session.timeout_reply();
  result.delivered = std::move(handler.delivered);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t variant = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  SessionSettings settings;
  settings.hostname = "fuzz.example";
  settings.max_message_bytes = (variant & 1) ? 300 : 100'000;
  settings.max_recipients = (variant & 2) ? 2 : 50;
  settings.max_errors = (variant & 4) ? 3 : 1000;
  settings.tls_available = (variant & 8) != 0;
  settings.require_tls = (variant & 16) != 0 && settings.tls_available;
  settings.accepted_domains = {"city.example.jp", "b.jp"};
  const std::size_t piece = 1 + ((variant >> 5) * 3);  // 1, 4, 7, ... 22 bytes

  const Run whole = run(settings, input, input.size() + 1);
  const Run pieces = run(settings, input, piece);
  for (const Run* each : {&whole, &pieces}) {
    check_replies(each->replies);
    for (const std::string& message : each->delivered) check_message(message, settings.max_message_bytes);
  }
  if (!whole.tls && !pieces.tls) {
    if (whole.replies != pieces.replies) std::abort();
    if (whole.delivered != pieces.delivered) std::abort();
  }
  return 0;
}
