// Tamper-evident audit log (アクセス記録): JSON lines, each carrying the SHA-256 of the previous
// line and a sequence number, plus an HMAC-SHA256 when a key is configured, so that an edited,
// inserted, reordered or deleted line is found by verify(). Optionally copied to syslog.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace mugai::core {

class AuditLog {
 public:
  // Opens (creating if needed) `path` and continues the chain from its last line.
  // Throws std::runtime_error when the file cannot be opened or its last line is unreadable.
  AuditLog(std::string path, std::string hmac_key = {}, bool copy_to_syslog = false);
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;
  ~AuditLog();

  // Adds "seq", "time" (UTC, ms), "prev" and (with a key) "hmac" to `event` (a JSON object, e.g.
  // {"event":"message","session":...}) and appends it as one line, flushed to disk before
  // returning. Thread-safe. Throws std::runtime_error on I/O failure.
  void append(nlohmann::json event);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string hmac_key_;
  bool copy_to_syslog_;
  std::mutex mutex_;
  int fd_ = -1;
  std::uint64_t next_seq_ = 1;
  std::string prev_hash_;
};

struct AuditVerification {
  bool intact = false;
  std::uint64_t lines = 0;
  std::uint64_t bad_line = 0;  // 1-based line number of the first problem, 0 when intact
  std::string problem;         // e.g. "line 17 was edited: its hash does not match line 18's prev"
};

// hmac_key empty: the hash chain and sequence numbers only.
AuditVerification verify_audit_log(const std::string& path, const std::string& hmac_key = {});

}  // namespace mugai::core
