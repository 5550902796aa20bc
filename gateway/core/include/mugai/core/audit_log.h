// Tamper-evident audit log (アクセス記録): JSON lines, each carrying the SHA-256 of the previous
// line and a sequence number, plus an HMAC-SHA256 when a key is configured, so that an edited,
// inserted, reordered or deleted line is found by verify(). Optionally copied to syslog.
//
// Line schema (one compact JSON object per line, UTF-8, keys sorted, "hmac" always last):
//   the caller's event fields (e.g. "event", "session", "client", ...), plus
//   "seq"  : 1, 2, 3, ... (the line number in an intact file)
//   "time" : UTC ISO 8601 with milliseconds, "2025-01-31T09:15:02.123Z"
//   "prev" : SHA-256 hex of the previous line's exact bytes (without its newline); 64 zeros on line 1
//   "hmac" : with a key only: HMAC-SHA256 hex over the line's bytes as written without the
//            trailing `,"hmac":"…"` (i.e. the same object serialised without "hmac").
// Sidecar <path>.head: {"hash":…,"kind":"audit-head","seq":N[,"hmac":…]}, padded to 512 bytes,
// rewritten in place after each batch of appends, so that lines deleted from the END of the log
// (which leaves a valid chain) are detected. Its flush to disk is bounded, not per batch: see
// kMaxHeadLag. Limits of any local scheme: whoever holds both files AND the key (or, without a
// key, just both files) can rewrite history consistently, and can roll both files back to an
// older copy; the syslog copy (another host, another administrator) is the defence for that.
// A key belongs to one file: changing or adding a key means starting a new file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace mugai::core {

class AuditLog {
 public:
  // Opens (creating if needed) `path` and continues the chain from its last line.
  // Throws std::runtime_error when the file cannot be opened or its last line is unreadable.
  // Also throws (naming the file and line) when the last line is torn, when <path>.head says the
  // log was longer (truncated tail), or when the key does not match the last line: appending would
  // hide the evidence. Several AuditLog objects, in one process or several (the daemon and an
  // administrator's `mugai quarantine ...`), may append to one file: they share one chain.
  // `deferred_flush`: how long an append_later() event may wait for a synced append to carry it
  // before a background thread writes it on its own.
  AuditLog(std::string path, std::string hmac_key = {}, bool copy_to_syslog = false,
           std::chrono::milliseconds deferred_flush = std::chrono::milliseconds(1000));
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;
  ~AuditLog();

  // Adds "seq", "time" (UTC, ms), "prev" and (with a key) "hmac" to `event` (a JSON object, e.g.
  // {"event":"message","session":...}) and appends it as one line, flushed to disk before
  // returning. Thread- and process-safe (group commit under the file lock). Throws
  // std::runtime_error on I/O failure or for an event longer than kMaxLineBytes.
  void append(nlohmann::json event);

  // The same line, without waiting for it: it is written (in order) with the next append()'s
  // batch, or by a background thread after `deferred_flush`, and at the latest by the destructor.
  // For session events (connect, TLS, disconnect) whose reply does not depend on them: a power
  // loss may cost the last `deferred_flush` of them, never a line append() returned for. A
  // failure to write it is reported on stderr (nobody waits for it) and stops the log as usual.
  void append_later(nlohmann::json event);

  const std::string& path() const { return path_; }

  // Longest line append() writes and verify accepts (hostile subjects are the caller's to cut).
  static constexpr std::size_t kMaxLineBytes = 1 << 20;

  // Concurrent appends share one fdatasync and one .head update (group commit). While running,
  // .head always names the last line. After a power loss it may lag the file by up to this many
  // lines, which open and verify accept (never more): .head is rewritten after every batch but
  // flushed to disk only when the lines since its last flush, plus one more batch, could exceed
  // this lag. A batch holds at most kMaxBatchLines lines.
  static constexpr std::uint64_t kMaxHeadLag = 256;
  static constexpr std::uint64_t kMaxBatchLines = 64;

  // True when the .head written for `last_seq` must reach the disk now, given that the .head on
  // disk names at least `flushed_seq`: one more batch must still end within kMaxHeadLag of it.
  static bool head_needs_flush(std::uint64_t last_seq, std::uint64_t flushed_seq) {
    return last_seq < flushed_seq || last_seq - flushed_seq + kMaxBatchLines > kMaxHeadLag;
  }

 private:
  struct Pending {
    nlohmann::json event;
    bool done = false;
    std::string error;  // why this event was not written
    bool deferred = false;  // append_later(): owned by the queue, deleted once written
  };
  // Writes everything queued, batch after batch; called with mutex_ held, by one leader at a time.
  void lead(std::unique_lock<std::mutex>& lock);
  void flush_deferred_in_background();
  std::string write_batch(const std::vector<Pending*>& batch);
  std::string refresh_tail();
  void write_head(std::uint64_t seq, const std::string& hash, bool flush);

  std::string path_;
  std::string hmac_key_;
  bool copy_to_syslog_;
  std::mutex mutex_;
  std::condition_variable synced_;  // a batch was written (or failed)
  std::deque<Pending*> queue_;      // events waiting for the next batch
  bool leading_ = false;            // one appender writes batches for the others
  std::chrono::milliseconds deferred_flush_;
  std::size_t deferred_waiting_ = 0;  // append_later() events not yet written
  bool stopping_ = false;             // the destructor runs: the flusher ends
  std::condition_variable deferred_;  // an append_later() event arrived, or stopping_
  std::thread flusher_;               // started by the first append_later()
  int fd_ = -1;
  std::uint64_t next_seq_ = 1;      // these three describe the file's tail: the batch writer's,
                                    // refreshed under the file lock
  std::string prev_hash_;
  int dir_fd_ = -1;            // for fsync after creating the .head file
  int head_fd_ = -1;           // the .head file once it exists: rewritten in place
  std::uint64_t head_flushed_seq_ = 0;  // the .head on disk names at least this line
  std::uint64_t size_ = 0;     // file size after the last complete line
  bool failed_ = false;        // after an fdatasync failure nothing more is trusted
  std::string failure_;        // why, for every later append
};

enum class AuditProblem {
  none,
  unreadable,  // the file (or .head) cannot be read
  malformed,   // not a JSON object with seq/time/prev, a torn last line, an empty line
  edited,      // a line's hash no longer matches the next line's prev (or .head)
  inserted,    // a line not in the original chain
  deleted,     // a gap in seq
  reordered,   // seq out of order
  truncated,   // lines missing at the end (per .head), or .head missing
  bad_hmac,    // a line (or .head) whose hmac is missing or wrong: forged, or the wrong key
};
std::string_view to_string(AuditProblem problem);

struct AuditVerification {
  bool intact = false;
  std::uint64_t lines = 0;
  std::uint64_t bad_line = 0;  // 1-based line number of the first problem, 0 when intact
  std::string problem;         // e.g. "line 17 was edited: its hash does not match line 18's prev"
  AuditProblem kind = AuditProblem::none;
};

// hmac_key empty: the hash chain and sequence numbers only.
AuditVerification verify_audit_log(const std::string& path, const std::string& hmac_key = {});

// The sidecar that records the last line: path + ".head".
std::string audit_head_path(const std::string& log_path);

// An HMAC key file's content with one trailing newline ("\n" or "\r\n") removed. Throws
// std::runtime_error when it cannot be read, is empty, or is longer than 4096 bytes.
std::string read_hmac_key_file(const std::string& path);

}  // namespace mugai::core
