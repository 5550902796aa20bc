// After DATA: sanitise, quarantine, hand on, audit, and choose the reply (table in README.md).
#include "mugai/smtp/delivery.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <iostream>

#include "mugai/admin/metrics.h"
#include "mugai/core/audit_log.h"
#include "mugai/core/pipeline.h"
#include "mugai/core/quarantine.h"
#include "mugai/core/utc_time.h"
#include "mugai/worker/worker_pool.h"

namespace mugai::smtp {
namespace {

using Json = nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string rfc5322_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return text;
}

bool is_ascii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
  return true;
}

// RFC 5321 §4.4: a relay adds a Received line. Every value in it is ours or checked ASCII.
std::string received_line(const std::string& hostname, const ConnectionInfo& connection,
                          const Envelope& envelope, const std::string& queue_id) {
  std::string helo;
  for (const char c : envelope.helo)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '[' || c == ']' ||
        c == ':')
      helo.push_back(c);
  const std::string protocol = std::string(envelope.esmtp ? "ESMTP" : "SMTP") +
                               (connection.tls_version.empty() ? "" : "S");
  return "Received: from " + (helo.empty() ? std::string("unknown") : helo.substr(0, 100)) + " ([" +
         connection.client_ip + "])\r\n\tby " + hostname + " (mugai) with " + protocol + " id " +
         queue_id + ";\r\n\t" + rfc5322_date() + "\r\n";
}

// One part for the audit line; archive members nested under their archive (all levels), so the
// log records what was removed inside archives too. At most kAuditMembers members per message:
// hostile archives have up to max_archive_entries long names, and an audit line is bounded
// (AuditLog::kMaxLineBytes); the rest is counted, and the full report is in the quarantine.
constexpr std::size_t kAuditMembers = 200;

Json part_line(const core::PartReport& part, std::size_t& budget) {
  Json line = {{"path", part.path},
               {"action", std::string(to_string(part.action))},
               {"module", part.module},
               {"detected_type", part.detected_type},
               {"filename", part.filename.substr(0, 256)},
               {"reason", part.reason.substr(0, 256)}};
  if (part.members.empty()) return line;
  Json members = Json::array();
  std::size_t omitted = 0;
  for (const core::PartReport& member : part.members) {
    if (budget == 0) {
      ++omitted;
      continue;
    }
    --budget;
    members.push_back(part_line(member, budget));
  }
  line["members"] = std::move(members);
  if (omitted > 0) line["members_omitted"] = omitted;
  return line;
}

}  // namespace

std::string header_value(std::string_view message, std::string_view name) {
  const std::string wanted = lower(name) + ":";
  std::string_view head = message.substr(0, 256 * 1024);
  std::size_t start = 0;
  while (start < head.size()) {
    std::size_t end = head.find('\n', start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header section
    if (line.size() >= wanted.size() && lower(line.substr(0, wanted.size())) == wanted) {
      std::string value(line.substr(wanted.size()));
      // Unfold continuation lines.
      std::size_t next = end + 1;
      while (next < head.size() && (head[next] == ' ' || head[next] == '\t')) {
        std::size_t stop = head.find('\n', next);
        if (stop == std::string_view::npos) stop = head.size();
        std::string_view more = head.substr(next, stop - next);
        if (!more.empty() && more.back() == '\r') more.remove_suffix(1);
        value += more;
        next = stop + 1;
      }
      const std::size_t first = value.find_first_not_of(" \t");
      if (first == std::string::npos) return "";
      value.erase(0, first);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
      return printable_ascii(value, 998);
    }
    start = end + 1;
  }
  return "";
}

Delivery::Delivery(Transport& transport, core::AuditLog* audit, admin::Metrics* metrics,
                   std::string hostname, worker::WorkerPool* pool)
    : transport_(transport), audit_(audit), metrics_(metrics), hostname_(std::move(hostname)), pool_(pool) {}

void Delivery::audit(Json line, Wait wait) {
  if (audit_ == nullptr) return;
  try {
    // Hostile bytes may be invalid UTF-8: the log replaces them when it writes the line.
    if (wait == Wait::no) audit_->append_later(std::move(line));
    else audit_->append(std::move(line));
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: audit log write failed: " << error.what() << "\n";
  }
}

Json Delivery::event_line(const std::string& name, const ConnectionInfo& connection, Json fields) {
  Json line = {{"event", name}, {"session", connection.session_id}, {"client_ip", connection.client_ip}};
  if (!connection.tls_version.empty()) line["tls_version"] = connection.tls_version;
  if (fields.is_object()) line.update(fields);
  return line;
}

void Delivery::event(const std::string& name, const ConnectionInfo& connection, Json fields) {
  audit(event_line(name, connection, std::move(fields)), Wait::no);
}

void Delivery::refused(const ConnectionInfo& connection, const Envelope& envelope, const Refusal& refusal) {
  Json fields = {{"stage", refusal.stage},
                 {"reply", printable_ascii(refusal.reply.wire().substr(0, refusal.reply.wire().size() - 2), 300)},
                 {"helo", envelope.helo}};
  if (!refusal.argument.empty()) fields["argument"] = refusal.argument;
  if (refusal.stage == "data" || refusal.stage == "rcpt") {
    fields["mail_from"] = envelope.mail_from;
    fields["rcpt_to"] = envelope.recipients;
  }
  if (refusal.size != 0) fields["size_in"] = refusal.size;
  audit(event_line("reject", connection, std::move(fields)));  // before the refusal's reply
  if (metrics_ != nullptr && refusal.stage == "data")
    metrics_->message(admin::MessageOutcome::refused, refusal.size, 0, 0.0);
}

Reply Delivery::worker_failed(const core::Config& config, const worker::Failure& failure,
                              const Envelope& envelope, const core::HashedOriginal& original,
                              const core::Profile& profile, Json& line, admin::MessageOutcome& outcome) {
  const std::string& message = original.bytes();
  const std::string reason(worker::to_string(failure.reason));
  line["error"] = "sanitiser worker " + reason + ": " + failure.detail;
  line["worker_failure"] = reason;
  const Reply retry{451, "4.3.0", "Temporary failure while sanitising (worker " + reason + "), try again later"};
  // A worker that could not start or spoke nonsense says nothing about this message.
  if (failure.reason == worker::FailureReason::protocol) return retry;
  const std::string& sha256 = original.sha256();
  const int attempts = pool_->note_failure(sha256);
  line["worker_attempt"] = attempts;
  if (attempts < config.serve.worker_max_attempts) return retry;

  // The same message killed its worker worker_max_attempts times: keep it for an administrator
  // and refuse it for good (the sender gets a bounce; nothing unchecked crosses, never 250).
  core::Report report;
  report.verdict = "rejected";
  report.kind = "message";
  report.profile = profile.name;
  report.rejection_code = "sanitiser-failure";
  report.reason = "the sanitiser failed on this message " + std::to_string(attempts) + " times (last: worker " +
                  reason + ", " + failure.detail + "); held in quarantine";
  report.quarantine_id = sha256;
  report.size_before = message.size();
  report.sha256_before = sha256;
  try {
    core::QuarantineEntry entry;
    entry.id = sha256;
    entry.stored_at = core::utc_now_seconds();
    entry.kind = "message";
    entry.sender = envelope.mail_from;
    entry.recipients = envelope.recipients;
    entry.subject = header_value(message, "subject");
    entry.profile = profile.name;
    entry.verdict = "held";
    entry.size = message.size();
    entry.report_json = report.to_json();
    core::Quarantine(config.quarantine_dir).store(original, entry);
  } catch (const std::exception& error) {
    line["error"] = line["error"].get<std::string>() + "; quarantine: " + error.what();
    return retry;
  }
  pool_->forget_failures(sha256);
  if (metrics_ != nullptr) metrics_->message_held_after_failures();
  line["quarantine_id"] = sha256;
  line["rejection_code"] = report.rejection_code;
  line["held"] = true;
  outcome = admin::MessageOutcome::rejected;
  return Reply{550, "5.7.0", "Message held in quarantine: the content could not be checked (" +
                                 std::to_string(attempts) + " sanitiser failures), id " + sha256.substr(0, 16)};
}

Reply Delivery::deliver(const core::Config& config, const ConnectionInfo& connection,
                        const Envelope& envelope, std::string message) {
  const auto started = std::chrono::steady_clock::now();
  const std::string queue_id = connection.session_id + "." + std::to_string(++counter_);
  const std::uint64_t size_in = message.size();
  const core::HashedOriginal original(message);
  Json line = {{"event", "message"},
               {"session", connection.session_id},
               {"client_ip", connection.client_ip},
               {"tls_version", connection.tls_version},
               {"helo", envelope.helo},
               {"queue_id", queue_id},
               {"mail_from", envelope.mail_from},
               {"rcpt_to", envelope.recipients},
               {"message_id", header_value(message, "message-id")},
               {"size_in", size_in},
               {"sha256_in", original.sha256()}};
  Reply reply;
  admin::MessageOutcome outcome = admin::MessageOutcome::tempfail;
  std::uint64_t size_out = 0;
  const std::string& quarantine_id = original.sha256();
  const core::Quarantine quarantine(config.quarantine_dir);
  bool original_stored_early = false;

  const auto finish = [&]() {
    // Not taken after all (451 before step 2): an original without metadata is not kept.
    if (original_stored_early && !line.contains("quarantine_id")) quarantine.discard_unlisted_original(quarantine_id);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    line["verdict"] = outcome == admin::MessageOutcome::delivered  ? "relayed"
                      : outcome == admin::MessageOutcome::rejected ? "rejected"
                                                                   : "tempfail";
    line["reply"] = printable_ascii(reply.wire().substr(0, reply.wire().size() - 2), 400);
    line["duration_ms"] = static_cast<std::uint64_t>(seconds * 1000.0);
    audit(std::move(line));
    if (metrics_ != nullptr) metrics_->message(outcome, size_in, size_out, seconds);
    return reply;
  };

  // 1. Sanitise. Any exception is ours, not the sender's fault: 451, the sender retries.
  //    In a worker when there is a pool: its death is a 451 (or, repeated, a hold), never ours.
  core::Result result;
  const core::Profile* profile = nullptr;
  try {
    profile = &core::select_profile(config, envelope.mail_from, envelope.recipients);
    if (pool_ == nullptr) {
      core::Request request;
      request.input = message;
      request.input_sha256 = original.sha256();
      result = core::sanitise(request, config, *profile);
    } else {
      worker::Job job;
      job.profile = profile->name;
      job.mail_from = envelope.mail_from;
      job.rcpt_to = envelope.recipients;
      job.input = message;
      job.input_sha256 = original.sha256();
      // The original goes to disk while the worker sanitises; its metadata follows in step 2,
      // which also retries (and answers 451) if this failed.
      worker::JobOutcome ran = pool_->run(job, [&] {
        try {
          quarantine.store_original(original);
          original_stored_early = true;
        } catch (const std::exception&) {
        }
      });
      if (const auto* failure = std::get_if<worker::Failure>(&ran)) {
        line["profile"] = profile->name;
        reply = worker_failed(config, *failure, envelope, original, *profile, line, outcome);
        return finish();
      }
      result = std::move(std::get<core::Result>(ran));
      pool_->forget_failures(quarantine_id);
    }
  } catch (const std::exception& error) {
    line["error"] = std::string("sanitiser: ") + error.what();
    reply = Reply{451, "4.3.0", "Error: temporary failure while sanitising, try again later"};
    return finish();
  } catch (...) {
    line["error"] = "sanitiser: unknown exception";
    reply = Reply{451, "4.3.0", "Error: temporary failure while sanitising, try again later"};
    return finish();
  }
  const core::Report& report = result.report;
  line["profile"] = profile->name;
  line["sha256_out"] = report.sha256_after;
  line["size_out"] = report.size_after;
  Json parts = Json::array();
  std::size_t member_budget = kAuditMembers;
  for (const core::PartReport& part : report.parts) {
    parts.push_back(part_line(part, member_budget));
    if (metrics_ != nullptr) metrics_->part(part.action);
  }
  line["parts"] = std::move(parts);

  // 2. Quarantine the original before any reply: if it cannot be kept, nothing crosses.
  try {
    core::QuarantineEntry entry;
    entry.id = quarantine_id;
    entry.stored_at = core::utc_now_seconds();
    entry.kind = "message";
    entry.sender = envelope.mail_from;
    entry.recipients = envelope.recipients;
    entry.subject = header_value(message, "subject");
    entry.profile = profile->name;
    entry.verdict = report.verdict;
    entry.size = message.size();
    entry.report_json = report.to_json();
    quarantine.store(original, entry);
    line["quarantine_id"] = quarantine_id;
  } catch (const std::exception& error) {
    line["error"] = std::string("quarantine: ") + error.what();
    reply = Reply{451, "4.3.0", "Error: cannot store the original, try again later"};
    return finish();
  }

  // 3. A check the profile requires could not be made (malware scanner down): fail closed, but
  //    temporarily, so the sender's MTA keeps the message and retries.
  if (result.tempfail) {
    line["rejection_code"] = report.rejection_code;
    reply = Reply{451, "4.3.0", "Temporary failure: content check not possible, try again later"};
    return finish();
  }

  // 4. Refused by the profile: a final answer, the sender's MTA bounces it.
  if (!result.delivered) {
    line["rejection_code"] = report.rejection_code;
    std::string why = report.rejection_code;
    if (!report.reason.empty() && is_ascii(report.reason)) why += (why.empty() ? "" : ": ") + report.reason;
    if (why.empty()) why = "content not allowed";
    reply = Reply{550, "5.7.1", "Message refused by policy (" + printable_ascii(why, 160) + ")"};
    outcome = admin::MessageOutcome::rejected;
    return finish();
  }

  // 5. Hand on. 250 only when the downstream said 250 to the end of data (or the rename held).
  std::string().swap(message);  // quarantined and sanitised: not needed while we wait downstream
  const std::string trace = received_line(hostname_, connection, envelope, queue_id);
  size_out = trace.size() + result.output.size();
  const TransportResult sent = transport_.send(envelope, trace, result.output);
  line["downstream"] = sent.summary();
  switch (sent.kind) {
    case TransportResult::Kind::accepted:
      reply = Reply{250, "2.0.0", "Ok: sanitised and " +
                                      std::string(sent.stage == "outbox" ? "stored" : "relayed") + " as " +
                                      queue_id};
      outcome = admin::MessageOutcome::delivered;
      break;
    case TransportResult::Kind::permanent: {
      const std::string enhanced =
          sent.enhanced.size() >= 5 && sent.enhanced[0] == '5' ? sent.enhanced : "5.0.0";
      reply = Reply{554, enhanced, "Downstream refused the message (" + printable_ascii(sent.summary(), 200) + ")"};
      outcome = admin::MessageOutcome::rejected;
      if (metrics_ != nullptr) metrics_->downstream_error();
      break;
    }
    case TransportResult::Kind::temporary: {
      std::string enhanced = "4.4.0";  // downstream answered 4xx
      if (sent.stage == "outbox") enhanced = "4.3.0";
      else if (sent.timed_out) enhanced = "4.4.2";
      else if (sent.code == 0) enhanced = sent.stage == "connect" ? "4.4.1" : "4.4.2";
      reply = Reply{451, enhanced, "Temporary failure downstream, try again later (" +
                                       printable_ascii(sent.summary(), 200) + ")"};
      if (metrics_ != nullptr && sent.stage != "outbox") metrics_->downstream_error();
      break;
    }
  }
  return finish();
}

}  // namespace mugai::smtp
