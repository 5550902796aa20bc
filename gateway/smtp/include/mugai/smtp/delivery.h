// What happens to a message after the end of DATA, and the one table from outcome to reply:
//   sanitise (profile chosen for the recipients) -> quarantine the original -> relay or outbox ->
//   audit line -> reply. 250 only when the transport accepted the sanitised message.
// Environment trouble (sanitiser exception, quarantine or outbox I/O, downstream 4xx/timeout)
// is 451: the sender keeps its copy and retries. Nothing here throws.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "mugai/admin/metrics.h"
#include "mugai/core/config.h"
#include "mugai/core/quarantine.h"
#include "mugai/smtp/envelope.h"
#include "mugai/smtp/reply.h"
#include "mugai/smtp/session.h"
#include "mugai/smtp/transport.h"

namespace mugai::core {
class AuditLog;
}
namespace mugai::admin {
class Metrics;
}
namespace mugai::worker {
class WorkerPool;
struct Failure;
}

namespace mugai::smtp {

class Delivery {
 public:
  // audit and metrics may be null (tests). The transport outlives the Delivery. With a pool the
  // pipeline runs in an isolated worker: a worker that crashes, hits a limit or times out gives
  // 451 4.3.0, and the serve.worker_max_attempts-th failure of the same message (SHA-256) holds
  // it in quarantine and answers 550 5.7.0 (never 250: nothing was checked). Null: in-process.
  Delivery(Transport& transport, core::AuditLog* audit, admin::Metrics* metrics, std::string hostname,
           worker::WorkerPool* pool = nullptr);

  Reply deliver(const core::Config& config, const ConnectionInfo& connection, const Envelope& envelope,
                std::string message);
  // Audit line for something the session refused (relay denied, oversize, bare LF, ...).
  void refused(const ConnectionInfo& connection, const Envelope& envelope, const Refusal& refusal);
  // Audit line for a session event ("connect", "tls", "disconnect"); `fields` merged in. Not
  // waited for (AuditLog::append_later): no reply depends on it, and the greeting must not wait
  // for a disk flush.
  void event(const std::string& name, const ConnectionInfo& connection, nlohmann::json fields);

 private:
  enum class Wait { until_on_disk, no };
  void audit(nlohmann::json line, Wait wait = Wait::until_on_disk);
  static nlohmann::json event_line(const std::string& name, const ConnectionInfo& connection, nlohmann::json fields);
  Reply worker_failed(const core::Config& config, const worker::Failure& failure, const Envelope& envelope,
                      const core::HashedOriginal& original, const core::Profile& profile, nlohmann::json& line,
                      admin::MessageOutcome& outcome);

  Transport& transport_;
  core::AuditLog* audit_;
  admin::Metrics* metrics_;
  std::string hostname_;
  worker::WorkerPool* pool_;
  std::atomic<std::uint64_t> counter_{0};
};

// First value of header `name` (case-insensitive) in the header section of `message`, unfolded,
// printable ASCII, at most 998 characters; "" when absent. Reads at most the first 256 KiB.
std::string header_value(std::string_view message, std::string_view name);

}  // namespace mugai::smtp
