#include "mugai/admin/metrics.h"

#include <sstream>

namespace mugai::admin {
namespace {

constexpr std::array<std::string_view, 4> kOutcomeNames{"delivered", "rejected", "tempfail", "refused"};
constexpr std::array<Action, 6> kActions{Action::kept,    Action::converted, Action::sanitized,
                                         Action::removed, Action::rejected,  Action::held};

void counter(std::ostringstream& out, std::string_view name, std::string_view help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
}

}  // namespace

void Metrics::message(MessageOutcome outcome, std::uint64_t bytes_in, std::uint64_t bytes_out,
                      double seconds) {
  messages_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
  bytes_in_.fetch_add(bytes_in, std::memory_order_relaxed);
  bytes_out_.fetch_add(bytes_out, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::part(Action action) {
  parts_[static_cast<std::size_t>(action)].fetch_add(1, std::memory_order_relaxed);
}
void Metrics::session_opened() {
  sessions_active_.fetch_add(1);
  sessions_total_.fetch_add(1);
}
void Metrics::session_closed() { sessions_active_.fetch_sub(1); }
void Metrics::session_refused() { sessions_refused_.fetch_add(1); }
void Metrics::downstream_error() { downstream_errors_.fetch_add(1); }
void Metrics::config_reload(bool success) { (success ? reloads_ok_ : reloads_failed_).fetch_add(1); }
void Metrics::message_held_after_failures() { held_after_failures_.fetch_add(1); }

void Metrics::worker_event(std::string_view event) {
  if (event == "started") worker_starts_.fetch_add(1);
  else if (event == "retired") worker_retired_.fetch_add(1);
  else if (event == "crashed") worker_kills_[0].fetch_add(1);
  else if (event == "killed-by-limit") worker_kills_[1].fetch_add(1);
  else if (event == "timeout") worker_kills_[2].fetch_add(1);
  else worker_kills_[3].fetch_add(1);
}

std::string Metrics::render() const {
  std::ostringstream out;
  counter(out, "mugai_messages_total", "Messages by final outcome.");
  for (std::size_t i = 0; i < kOutcomeNames.size(); ++i)
    out << "mugai_messages_total{outcome=\"" << kOutcomeNames[i] << "\"} " << messages_[i].load() << "\n";
  counter(out, "mugai_parts_total", "MIME parts and members by action.");
  for (Action action : kActions)
    out << "mugai_parts_total{action=\"" << to_string(action) << "\"} "
        << parts_[static_cast<std::size_t>(action)].load() << "\n";
  counter(out, "mugai_bytes_received_total", "Message bytes received.");
  out << "mugai_bytes_received_total " << bytes_in_.load() << "\n";
  counter(out, "mugai_bytes_delivered_total", "Sanitised bytes delivered downstream.");
  out << "mugai_bytes_delivered_total " << bytes_out_.load() << "\n";

  out << "# HELP mugai_message_seconds Time from end of DATA to the final reply.\n"
         "# TYPE mugai_message_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    out << "mugai_message_seconds_bucket{le=\"" << kLatencyBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += latency_buckets_.back().load();
  out << "mugai_message_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "mugai_message_seconds_sum " << static_cast<double>(latency_sum_micros_.load()) / 1e6 << "\n"
      << "mugai_message_seconds_count " << latency_count_.load() << "\n";

  out << "# HELP mugai_sessions_active SMTP sessions in progress.\n# TYPE mugai_sessions_active gauge\n"
      << "mugai_sessions_active " << sessions_active_.load() << "\n";
  counter(out, "mugai_sessions_total", "SMTP sessions accepted.");
  out << "mugai_sessions_total " << sessions_total_.load() << "\n";
  counter(out, "mugai_sessions_refused_total", "Connections refused by access control or limits.");
  out << "mugai_sessions_refused_total " << sessions_refused_.load() << "\n";
  counter(out, "mugai_downstream_errors_total", "Failures talking to the downstream MTA.");
  out << "mugai_downstream_errors_total " << downstream_errors_.load() << "\n";
  counter(out, "mugai_config_reloads_total", "SIGHUP reloads by result.");
  out << "mugai_config_reloads_total{result=\"ok\"} " << reloads_ok_.load() << "\n"
      << "mugai_config_reloads_total{result=\"refused\"} " << reloads_failed_.load() << "\n";
  counter(out, "mugai_worker_starts_total", "Sanitiser worker processes started.");
  out << "mugai_worker_starts_total " << worker_starts_.load() << "\n";
  counter(out, "mugai_worker_restarts_total",
          "Sanitiser workers that ended and were replaced, by reason (retired = CPU budget used up).");
  constexpr std::array<std::string_view, 4> kReasons{"crashed", "killed-by-limit", "timeout", "protocol"};
  for (std::size_t i = 0; i < kReasons.size(); ++i)
    out << "mugai_worker_restarts_total{reason=\"" << kReasons[i] << "\"} " << worker_kills_[i].load() << "\n";
  out << "mugai_worker_restarts_total{reason=\"retired\"} " << worker_retired_.load() << "\n";
  counter(out, "mugai_messages_held_after_worker_failures_total",
          "Messages held in quarantine after serve.worker_max_attempts worker failures.");
  out << "mugai_messages_held_after_worker_failures_total " << held_after_failures_.load() << "\n";
  return out.str();
}

}  // namespace mugai::admin
