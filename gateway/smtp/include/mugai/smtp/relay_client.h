// SMTP client to the downstream (LGWAN-side) MTA over a bounded pool of kept-alive connections.
// One message = MAIL, RCPT..., DATA, content, and its reply; 250 to the end of data is the only
// "accepted". Any recipient refused downstream fails the whole message (4xx if any refusal was
// temporary, else 5xx), so nothing is ever half-delivered and then retried to everyone.
// A pooled connection is probed with RSET before reuse; a failure on a reused connection before
// the content was sent is retried once on a fresh connection. Once the final dot is sent, there
// is no retry: the outcome is whatever the downstream answered (or 451 if it never did).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mugai/smtp/channel.h"
#include "mugai/smtp/tls.h"
#include "mugai/smtp/transport.h"

namespace mugai::smtp {

struct RelaySettings {
  std::string host;
  int port = 25;
  bool starttls = false;       // required: a downstream without STARTTLS gets nothing
  std::string ca_file;         // "" = system CAs
  std::chrono::seconds timeout{60};  // per connect, per reply, per content write
  int max_connections = 8;     // open at once (busy + idle); more senders wait up to `timeout`
  std::string helo_name = "mugai.localhost";
  std::chrono::seconds max_idle{30};  // pooled connections older than this are closed, not probed
};

class RelayClient : public Transport {
 public:
  // nullptr and `error` when the TLS context cannot be built.
  static std::unique_ptr<RelayClient> create(RelaySettings settings, std::string& error);
  ~RelayClient() override;

  TransportResult send(const Envelope& envelope, std::string_view trace, std::string_view body) override;
  void close_idle();  // shutdown: QUIT and close every pooled connection

  struct Connection;

 private:
  explicit RelayClient(RelaySettings settings, TlsContext tls);
  // `pooled_allowed` false: a fresh connection even when idle ones wait (a retry after one died).
  std::unique_ptr<Connection> acquire(TransportResult& failure, bool& reused, bool pooled_allowed);
  void release(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> dial(TransportResult& failure);

  RelaySettings settings_;
  TlsContext tls_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // busy + idle
};

// Dot-stuffing (RFC 5321 §4.5.2) for the DATA phase, fed piece by piece so a large message is
// sent in bounded chunks. Bare CR or LF are turned into CRLF, so nothing we send downstream can
// be read as an early end of data there; finish() closes the last line and adds the terminator.
class DataStuffer {
 public:
  void feed(std::string_view piece, std::string& out);
  void finish(std::string& out);

 private:
  bool line_start_ = true;
  bool after_cr_ = false;
};

std::string stuff_for_data(std::string_view message);  // the whole message at once

}  // namespace mugai::smtp
