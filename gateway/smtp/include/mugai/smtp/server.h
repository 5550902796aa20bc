// `mugai serve`: the ESMTP listener on Poco::Net::TCPServer with a bounded thread pool. Each
// accepted socket runs one Session (session.h) over a Channel (channel.h); messages go through
// Delivery (delivery.h). The configuration is held as an immutable snapshot that reload() swaps
// atomically: a session keeps the snapshot it started with (SIGHUP reload slots in here).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "mugai/core/config.h"

namespace mugai::core {
class AuditLog;
}
namespace mugai::admin {
class Metrics;
}
namespace mugai::worker {
class WorkerPool;
}

namespace mugai::smtp {

struct ServerState;

class Server {
 public:
  // Validates the serve configuration, loads TLS material, prepares the outbox or the relay pool
  // and binds the listening socket. nullptr and `error` on any problem: nothing half-starts.
  // `audit`, `metrics` and `pool` must outlive the server; any may be null. With a pool the
  // pipeline runs in its isolated workers; without one (unit tests) in this process.
  static std::unique_ptr<Server> create(std::shared_ptr<const core::Config> config, core::AuditLog* audit,
                                        admin::Metrics* metrics, std::string& error,
                                        worker::WorkerPool* pool = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();
  int port() const;  // the bound port (listen_port 0 picks a free one)
  // New sessions get the new snapshot; false and `error` if it cannot be used (the old stays).
  bool reload(std::shared_ptr<const core::Config> config, std::string& error);
  // SIGTERM: stop accepting; sessions between messages get 421 4.3.2 at once, sessions inside a
  // transaction get until `grace` to finish it. True when every session ended in time.
  bool shutdown(std::chrono::seconds grace);
  int active_sessions() const;
  bool stopping() const;

 private:
  explicit Server(std::shared_ptr<ServerState> state);
  struct Listener;

  std::shared_ptr<ServerState> state_;
  std::unique_ptr<Listener> listener_;
};

}  // namespace mugai::smtp
