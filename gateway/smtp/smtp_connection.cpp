// One accepted socket: access control, admission, then the Session driven over a Channel with
// the command and data deadlines, STARTTLS on request, and shutdown handling. Nothing escapes
// run(): a hostile client or message ends its own session, never the daemon.
#include "smtp_connection.h"

#include <iostream>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>

#include "mugai/admin/metrics.h"
#include "mugai/smtp/session.h"
#include "server_state.h"

namespace mugai::smtp {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

// Forwards the session's requests to the shared Delivery with this connection's snapshot.
class ConnectionHandler : public SessionHandler {
 public:
  explicit ConnectionHandler(const Snapshot& snapshot) : snapshot_(snapshot) {}
  Reply deliver(const ConnectionInfo& connection, const Envelope& envelope, std::string message) override {
    return snapshot_.delivery->deliver(*snapshot_.config, connection, envelope, std::move(message));
  }
  void refused(const ConnectionInfo& connection, const Envelope& envelope, const Refusal& refusal) override {
    snapshot_.delivery->refused(connection, envelope, refusal);
  }

 private:
  const Snapshot& snapshot_;
};

class SmtpConnection : public Poco::Net::TCPServerConnection {
 public:
  SmtpConnection(const Poco::Net::StreamSocket& socket, std::shared_ptr<ServerState> state)
      : Poco::Net::TCPServerConnection(socket), state_(std::move(state)) {}

  void run() override {
    ++state_->running;
    try {
      serve();
    } catch (const std::exception& error) {
      std::cerr << "mugai serve: session ended by an internal error: " << error.what() << "\n";
    } catch (...) {
      std::cerr << "mugai serve: session ended by an unknown internal error\n";
    }
    --state_->running;
  }

 private:
  void serve();
  void converse(const Snapshot& snapshot, Channel& channel, ConnectionInfo info);

  std::shared_ptr<ServerState> state_;
};

void SmtpConnection::serve() {
  const std::shared_ptr<const Snapshot> snapshot = state_->snapshot();
  ConnectionInfo info;
  info.session_id = state_->new_session_id();
  try {
    info.client_ip = normalise_ip(socket().peerAddress().host().toString());
  } catch (...) {
    return;  // the peer is already gone
  }
  Channel channel(socket().impl()->sockfd(), false);
  const Clock::time_point write_deadline = Clock::now() + std::chrono::seconds(10);
  const std::string& host = snapshot->settings.hostname;
  admin::Metrics* metrics = state_->metrics;

  if (!snapshot->client_networks.contains(info.client_ip)) {
    // RFC 5321 §3.1: 554 instead of the greeting; we close at once rather than wait for QUIT.
    const Reply refusal{554, "5.7.1", host + " Access denied"};
    channel.write_all(refusal.wire(), write_deadline);
    snapshot->delivery->event("connect", info, {{"accepted", false}, {"reply", "554 5.7.1 access denied"}});
    if (metrics != nullptr) metrics->session_refused();
    return;
  }
  if (state_->stopping) {
    channel.write_all(Reply{421, "4.3.2", host + " Service shutting down, try again later"}.wire(),
                      write_deadline);
    return;
  }
  const core::ServeConfig& serve = snapshot->config->serve;
  const Admission::Verdict verdict =
      state_->admission.admit(info.client_ip, serve.max_sessions, serve.max_sessions_per_client);
  if (verdict != Admission::Verdict::admitted) {
    const bool total = verdict == Admission::Verdict::too_many_total;
    const Reply refusal = total ? Reply{421, "4.3.2", host + " Too many sessions, try again later"}
                                : Reply{421, "4.7.0", host + " Too many sessions from your address, try again later"};
    channel.write_all(refusal.wire(), write_deadline);
    snapshot->delivery->event("connect", info,
                              {{"accepted", false},
                               {"reply", total ? "421 4.3.2 too many sessions" : "421 4.7.0 too many sessions from client"}});
    if (metrics != nullptr) metrics->session_refused();
    return;
  }
  struct Release {
    ServerState& state;
    const std::string& ip;
    ~Release() {
      state.admission.release(ip);
      if (state.metrics != nullptr) state.metrics->session_closed();
    }
  } release{*state_, info.client_ip};
  if (metrics != nullptr) metrics->session_opened();
  snapshot->delivery->event("connect", info, {{"accepted", true}});
  converse(*snapshot, channel, info);
}

void SmtpConnection::converse(const Snapshot& snapshot, Channel& channel, ConnectionInfo info) {
  ConnectionHandler handler(snapshot);
  Session session(snapshot.settings, info, handler);
  const auto started = Clock::now();
  std::string end_reason = "quit";
  const auto reply_deadline = [&]() { return Clock::now() + snapshot.command_timeout; };

  if (channel.write_all(session.greeting(), reply_deadline()) != IoStatus::ok) return;
  Clock::time_point command_deadline = Clock::now() + snapshot.command_timeout;
  Clock::time_point data_deadline = command_deadline;
  std::string buffer(kReadChunk, '\0');

  while (!session.closing()) {
    int wake_fd = state_->wake_read_fd;
    Clock::time_point deadline = session.in_data() ? data_deadline : command_deadline;
    if (state_->stopping) {
      if (!session.in_transaction()) {
        channel.write_all(session.shutdown_reply(), reply_deadline());
        end_reason = "shutdown";
        break;
      }
      // Inside a transaction: let it finish, but only until the grace period ends.
      wake_fd = -1;
      deadline = std::min(deadline, Clock::time_point(Clock::duration(state_->grace_deadline.load())));
    }
    std::size_t got = 0;
    const IoStatus status = channel.read(buffer.data(), buffer.size(), got, deadline, wake_fd);
    if (status == IoStatus::woken) continue;  // shutdown began: decide above
    if (status == IoStatus::timeout) {
      const bool grace_over = state_->stopping && Clock::now() >= Clock::time_point(Clock::duration(
                                                                      state_->grace_deadline.load()));
      channel.write_all(grace_over ? session.shutdown_reply() : session.timeout_reply(), reply_deadline());
      end_reason = grace_over ? "shutdown" : "timeout";
      break;
    }
    if (status != IoStatus::ok) {
      end_reason = status == IoStatus::closed ? "client closed" : "connection error";
      break;
    }
    const bool was_in_data = session.in_data();
    const std::string replies = session.feed(std::string_view(buffer.data(), got));
    if (!replies.empty()) {
      if (channel.write_all(replies, reply_deadline()) != IoStatus::ok) {
        end_reason = "client stopped reading";
        break;
      }
      command_deadline = Clock::now() + snapshot.command_timeout;  // answered: a new command may take its time
    }
    if (session.in_data() && !was_in_data) data_deadline = Clock::now() + snapshot.data_timeout;
    if (session.wants_tls()) {
      std::string error;
      if (!channel.start_tls_server(snapshot.tls.get(), reply_deadline(), error)) {
        snapshot.delivery->event("tls", session.connection(), {{"ok", false}, {"error", error}});
        end_reason = "tls handshake failed";
        break;
      }
      session.tls_started(channel.tls_version(), channel.tls_cipher());
      snapshot.delivery->event("tls", session.connection(),
                               {{"ok", true}, {"tls_cipher", channel.tls_cipher()}});
      command_deadline = Clock::now() + snapshot.command_timeout;
    }
  }
  if (session.closing() && end_reason == "quit" && session.errors() >= snapshot.settings.max_errors)
    end_reason = "too many errors";
  const auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  snapshot.delivery->event("disconnect", session.connection(),
                           {{"reason", end_reason},
                            {"messages", session.messages_accepted()},
                            {"errors", session.errors()},
                            {"duration_ms", duration.count()}});
}

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit ConnectionFactory(std::shared_ptr<ServerState> state) : state_(std::move(state)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new SmtpConnection(socket, state_);
  }

 private:
  std::shared_ptr<ServerState> state_;
};

}  // namespace

Poco::Net::TCPServerConnectionFactory::Ptr make_connection_factory(std::shared_ptr<ServerState> state) {
  return new ConnectionFactory(std::move(state));
}

}  // namespace mugai::smtp
