// Listener set-up, configuration snapshots, admission control and graceful shutdown.
#include "mugai/smtp/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <random>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>

#include "mugai/smtp/outbox.h"
#include "mugai/smtp/relay_client.h"
#include "mugai/smtp/transport_factory.h"
#include "server_state.h"
#include "smtp_connection.h"

namespace mugai::smtp {
namespace {

// Threads beyond max_sessions, so a client over the limit is still answered 421 (by a thread of
// its own) instead of waiting in the queue unanswered.
constexpr int kSpareThreads = 8;

}  // namespace

Admission::Verdict Admission::admit(const std::string& client_ip, int max_total, int max_per_client) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total) return Verdict::too_many_total;
  int& mine = per_client_[client_ip];
  if (mine >= max_per_client) {
    if (mine == 0) per_client_.erase(client_ip);
    return Verdict::too_many_for_client;
  }
  ++mine;
  ++total_;
  return Verdict::admitted;
}

void Admission::release(const std::string& client_ip) {
  std::lock_guard lock(mutex_);
  --total_;
  auto found = per_client_.find(client_ip);
  if (found != per_client_.end() && --found->second <= 0) per_client_.erase(found);
}

std::shared_ptr<const Snapshot> ServerState::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void ServerState::set_snapshot(std::shared_ptr<const Snapshot> next) {
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
}

std::string ServerState::new_session_id() {
  // Unique across restarts (random base) and within a run (counter); 16 hex digits.
  const std::uint64_t value = session_base_ + session_counter_.fetch_add(1);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

std::shared_ptr<const Snapshot> build_snapshot(std::shared_ptr<const core::Config> config,
                                               core::AuditLog* audit, admin::Metrics* metrics,
                                               std::string& error, worker::WorkerPool* pool) {
  auto snapshot = std::make_shared<Snapshot>();
  const core::ServeConfig& serve = config->serve;
  std::optional<SessionSettings> settings = settings_from_config(*config, error);
  if (!settings) return nullptr;
  snapshot->settings = std::move(*settings);
  std::optional<NetworkList> networks = NetworkList::parse(serve.client_networks, error);
  if (!networks) {
    error = "serve.client_networks: " + error;
    return nullptr;
  }
  snapshot->client_networks = std::move(*networks);
  if (serve.max_sessions < 1 || serve.max_sessions_per_client < 1 || serve.command_timeout_seconds < 1 ||
      serve.data_timeout_seconds < 1 || serve.downstream_timeout_seconds < 1) {
    error = "serve: session limits and timeouts must be at least 1";
    return nullptr;
  }
  snapshot->command_timeout = std::chrono::seconds(serve.command_timeout_seconds);
  snapshot->data_timeout = std::chrono::seconds(serve.data_timeout_seconds);
  if (snapshot->settings.tls_available) {
    snapshot->tls = make_server_tls_context(serve.tls_certificate_file, serve.tls_key_file, error);
    if (!snapshot->tls) return nullptr;
  }
  snapshot->transport = make_transport(serve, error);
  if (!snapshot->transport) return nullptr;
  snapshot->delivery = std::make_shared<Delivery>(*snapshot->transport, audit, metrics, serve.hostname, pool);
  snapshot->config = std::move(config);
  return snapshot;
}

struct Server::Listener {
  std::unique_ptr<Poco::ThreadPool> pool;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::TCPServer> server;
  int port = 0;
};

Server::Server(std::shared_ptr<ServerState> state) : state_(std::move(state)) {}

Server::~Server() {
  if (listener_ && listener_->server) {
    if (!state_->stopping) shutdown(std::chrono::seconds(0));
    if (state_->running > 0) {
      // A session is stuck past every deadline (only at process exit): joining would hang, and
      // freeing the pool under a running thread would crash, so the listener is left to the OS.
      static_cast<void>(listener_.release());
      return;
    }
    listener_->server.reset();
    listener_->pool->joinAll();
  }
  if (state_->wake_read_fd >= 0) ::close(state_->wake_read_fd);
  if (state_->wake_write_fd >= 0) ::close(state_->wake_write_fd);
}

std::unique_ptr<Server> Server::create(std::shared_ptr<const core::Config> config, core::AuditLog* audit,
                                       admin::Metrics* metrics, std::string& error,
                                       worker::WorkerPool* pool) {
  // A client that disconnects while we write must not kill the process (SIGPIPE); OpenSSL
  // writes with write(2), so MSG_NOSIGNAL alone is not enough.
  std::signal(SIGPIPE, SIG_IGN);
  auto state = std::make_shared<ServerState>();
  state->audit = audit;
  state->metrics = metrics;
  state->pool = pool;
  std::random_device random;
  state->session_base_ = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  const core::ServeConfig& serve = config->serve;
  std::shared_ptr<const Snapshot> snapshot = build_snapshot(config, audit, metrics, error, pool);
  if (!snapshot) return nullptr;
  state->set_snapshot(snapshot);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    error = "cannot create the shutdown pipe";
    return nullptr;
  }
  state->wake_read_fd = pipe_fds[0];
  state->wake_write_fd = pipe_fds[1];

  std::unique_ptr<Server> server(new Server(state));
  auto listener = std::make_unique<Listener>();
  try {
    const Poco::Net::SocketAddress address(serve.listen_address, static_cast<Poco::UInt16>(serve.listen_port));
    listener->socket.bind(address, true, serve.listen_reuse_port);
    listener->socket.listen(128);
    listener->port = listener->socket.address().port();
    const int threads = serve.max_sessions + kSpareThreads;
    listener->pool = std::make_unique<Poco::ThreadPool>(2, threads, 60);
    Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(threads);
    // Beyond this the kernel backlog holds connections, then Poco closes them without a word.
    params->setMaxQueued(serve.max_sessions);
    params->setThreadIdleTime(Poco::Timespan(10, 0));
    listener->server = std::make_unique<Poco::Net::TCPServer>(make_connection_factory(state), *listener->pool,
                                                              listener->socket, params);
  } catch (const Poco::Exception& failure) {
    error = "cannot listen on " + serve.listen_address + ":" + std::to_string(serve.listen_port) + ": " +
            failure.displayText();
    return nullptr;
  }
  server->listener_ = std::move(listener);
  return server;
}

void Server::start() { listener_->server->start(); }

int Server::port() const { return listener_->port; }

bool Server::reload(std::shared_ptr<const core::Config> config, std::string& error) {
  std::shared_ptr<const Snapshot> next = build_snapshot(std::move(config), state_->audit, state_->metrics, error, state_->pool);
  if (!next) return false;
  state_->set_snapshot(std::move(next));
  return true;
}

bool Server::shutdown(std::chrono::seconds grace) {
  if (state_->stopping.exchange(true)) return state_->running == 0;
  state_->grace_deadline = (Clock::now() + grace).time_since_epoch().count();
  const char byte = 1;
  [[maybe_unused]] const auto ignored = ::write(state_->wake_write_fd, &byte, 1);
  listener_->server->stop();  // no more accepts; queued connections are dropped unanswered
  try {
    listener_->socket.close();  // new clients are refused by the kernel and retry elsewhere/later
  } catch (const Poco::Exception&) {
  }
  // Sessions get the grace period; one still inside a delivery gets a little longer so the
  // downstream's answer (and our reply) is not cut off mid-way.
  const Clock::time_point hard_stop = Clock::now() + grace + std::chrono::seconds(5);
  while (state_->running > 0 && Clock::now() < hard_stop)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (auto snapshot = state_->snapshot())
    if (auto* relay = dynamic_cast<RelayClient*>(snapshot->transport.get())) relay->close_idle();
  return state_->running == 0;
}

int Server::active_sessions() const { return state_->running; }

bool Server::stopping() const { return state_->stopping; }

}  // namespace mugai::smtp
