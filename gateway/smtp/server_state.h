// Internal to the server: what every connection shares. Not a public header.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mugai/core/config.h"
#include "mugai/smtp/access.h"
#include "mugai/smtp/channel.h"
#include "mugai/smtp/delivery.h"
#include "mugai/smtp/session_settings.h"
#include "mugai/smtp/tls.h"
#include "mugai/smtp/transport.h"

namespace mugai::smtp {

// Everything derived from one configuration; immutable once built.
struct Snapshot {
  std::shared_ptr<const core::Config> config;
  SessionSettings settings;
  NetworkList client_networks;
  TlsContext tls;                          // null: no STARTTLS
  std::shared_ptr<Transport> transport;    // relay pool or outbox
  std::shared_ptr<Delivery> delivery;
  std::chrono::seconds command_timeout{300};
  std::chrono::seconds data_timeout{600};
};

// Sessions in total and per client address, checked when a connection starts.
class Admission {
 public:
  enum class Verdict { admitted, too_many_total, too_many_for_client };
  Verdict admit(const std::string& client_ip, int max_total, int max_per_client);
  void release(const std::string& client_ip);

 private:
  std::mutex mutex_;
  int total_ = 0;
  std::map<std::string, int> per_client_;
};

struct ServerState {
  std::shared_ptr<const Snapshot> snapshot() const;
  void set_snapshot(std::shared_ptr<const Snapshot> next);
  std::string new_session_id();

  core::AuditLog* audit = nullptr;
  admin::Metrics* metrics = nullptr;
  worker::WorkerPool* pool = nullptr;  // null: the pipeline runs in this process (unit tests)
  Admission admission;
  std::atomic<int> running{0};                 // connections inside run()
  std::atomic<bool> stopping{false};
  std::atomic<Clock::rep> grace_deadline{0};   // steady clock ticks; valid when stopping
  int wake_read_fd = -1;                       // readable once shutdown starts
  int wake_write_fd = -1;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::atomic<std::uint64_t> session_counter_{0};
  std::uint64_t session_base_ = 0;
  friend class Server;
};

// Builds a snapshot from a configuration; nullptr and `error` when something is unusable.
std::shared_ptr<const Snapshot> build_snapshot(std::shared_ptr<const core::Config> config,
                                               core::AuditLog* audit, admin::Metrics* metrics,
                                               std::string& error, worker::WorkerPool* pool = nullptr);

}  // namespace mugai::smtp
