// Process-wide counters for /metrics (Prometheus text format 0.0.4). Lock-free increments from
// any session thread; rendering takes a consistent-enough snapshot (each counter atomically).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::admin {

enum class MessageOutcome { delivered, rejected, tempfail, refused };  // refused: 5xx before DATA

class Metrics {
 public:
  static constexpr std::array<double, 10> kLatencyBuckets{0.005, 0.01, 0.025, 0.05, 0.1,
                                                           0.25,  0.5,  1.0,   2.5,  10.0};

  void message(MessageOutcome outcome, std::uint64_t bytes_in, std::uint64_t bytes_out,
               double seconds);
  void part(Action action);
  void session_opened();
  void session_closed();
  void session_refused();           // access control or limits at connect
  void downstream_error();          // connect/timeout/4xx/5xx from the LGWAN-side MTA
  void config_reload(bool success);
  // Isolated workers (gateway/worker): "started", "retired" (CPU budget used up, replaced), or
  // why one ended abnormally and was replaced: "crashed", "killed-by-limit", "timeout", "protocol".
  void worker_event(std::string_view event);
  void message_held_after_failures();  // worker_max_attempts reached: held, 550

  std::string render() const;

 private:
  std::array<std::atomic<std::uint64_t>, 4> messages_{};
  std::array<std::atomic<std::uint64_t>, 6> parts_{};
  std::atomic<std::uint64_t> bytes_in_{0}, bytes_out_{0};
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_micros_{0};
  std::atomic<std::int64_t> sessions_active_{0};
  std::atomic<std::uint64_t> sessions_total_{0}, sessions_refused_{0};
  std::atomic<std::uint64_t> downstream_errors_{0};
  std::atomic<std::uint64_t> reloads_ok_{0}, reloads_failed_{0};
  std::atomic<std::uint64_t> worker_starts_{0}, worker_retired_{0};
  std::array<std::atomic<std::uint64_t>, 4> worker_kills_{};  // crashed, killed-by-limit, timeout, protocol
  std::atomic<std::uint64_t> held_after_failures_{0};
};

}  // namespace mugai::admin
