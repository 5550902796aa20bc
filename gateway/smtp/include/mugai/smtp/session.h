// The ESMTP dialogue of one connection as a pure state machine: bytes from the client in, reply
// bytes out. No sockets, clocks or files, so every rule is unit-tested and fuzzed directly; the
// server (server.h) moves bytes, runs timers and performs STARTTLS when asked.
//
// Threats handled here: SMTP smuggling and command injection (line rules in line_reader.h; input
// pipelined behind STARTTLS is dropped), open relay (only accepted_domains), resource abuse (size,
// recipient, error and junk-command limits), cross-protocol requests (HTTP verbs close the
// session). Every reply and its reason is listed in gateway/smtp/README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mugai/smtp/envelope.h"
#include "mugai/smtp/line_reader.h"
#include "mugai/smtp/reply.h"
#include "mugai/smtp/session_settings.h"

namespace mugai::smtp {

// Something the session refused, for the audit log ("reject" events).
struct Refusal {
  std::string stage;     // "mail", "rcpt", "data", "session"
  Reply reply;
  std::string argument;  // the refused address or command, printable ASCII
  std::uint64_t size = 0;  // message octets seen, for "data"
};

class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  // A complete, well-formed message (dot-unstuffed, CRLF line ends, within the size limit).
  // Returns the reply to the end of DATA; 250 only once the message is safely handed on.
  virtual Reply deliver(const ConnectionInfo& connection, const Envelope& envelope,
                        std::string message) = 0;
  virtual void refused(const ConnectionInfo& connection, const Envelope& envelope,
                       const Refusal& refusal) {
    (void)connection;
    (void)envelope;
    (void)refusal;
  }
};

class Session {
 public:
  // Junk commands (NOOP, RSET, VRFY, HELP, repeated EHLO/HELO) a client may send per message
  // before each one counts as an error (idea from Postfix smtpd_junk_command_limit): keeps an
  // idle client from holding a session slot forever with NOOPs.
  static constexpr int kMaxJunkCommands = 100;

  Session(const SessionSettings& settings, ConnectionInfo connection, SessionHandler& handler);

  std::string greeting() const;  // 220

  // Processes every complete line in `bytes` (pipelining) and returns the replies to send, in
  // order. After it returns, check closing() and wants_tls().
  std::string feed(std::string_view bytes);

  // After a 220 to STARTTLS: the caller performs the handshake, then reports it here. The session
  // forgets everything it learnt before, as RFC 3207 §4.2 requires; the client must EHLO again.
  void tls_started(std::string version, std::string cipher);

  std::string timeout_reply();   // 421 4.4.2, then closing()
  std::string shutdown_reply();  // 421 4.3.2, then closing()

  bool closing() const { return state_ == State::closing; }
  bool wants_tls() const { return state_ == State::awaiting_tls; }
  bool in_data() const { return state_ == State::data; }
  bool in_transaction() const { return mail_given_ || state_ == State::data; }
  bool tls_active() const { return !connection_.tls_version.empty(); }
  // Grows with every complete line handled: the server restarts its command timer on a change.
  std::uint64_t lines_handled() const { return lines_handled_; }
  std::uint64_t messages_accepted() const { return messages_accepted_; }
  int errors() const { return errors_; }
  const ConnectionInfo& connection() const { return connection_; }

 private:
  enum class State { command, data, awaiting_tls, closing };

  void handle_line(const CommandLine& line, std::string& out);
  void command(std::string_view verb, std::string_view argument, std::string& out);
  void ehlo(std::string_view argument, bool extended, std::string& out);
  void mail(std::string_view argument, std::string& out);
  void rcpt(std::string_view argument, std::string& out);
  void data(std::string_view argument, std::string& out);
  void starttls(std::string_view argument, std::string& out);
  void end_of_data(std::string& out);
  void junk(std::string& out);
  void reply(const Reply& reply, std::string& out);
  void refuse(const std::string& stage, const Reply& reply, std::string_view argument,
              std::string& out);
  void close_with(const Reply& reply, std::string& out);
  void reset_transaction();
  bool accepted_domain(const std::string& domain) const;

  const SessionSettings& settings_;
  ConnectionInfo connection_;
  SessionHandler& handler_;
  State state_ = State::command;
  CommandLineReader commands_;
  std::unique_ptr<DataReader> data_;
  Envelope envelope_;
  bool helo_done_ = false;
  bool mail_given_ = false;
  int errors_ = 0;
  int junk_ = 0;
  std::uint64_t lines_handled_ = 0;
  std::uint64_t messages_accepted_ = 0;
};

}  // namespace mugai::smtp
