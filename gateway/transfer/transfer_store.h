// Transfer records and sanitised results, on disk so they survive a restart and never sit whole
// in memory: <state_dir>/<user>/<id>.json (record + report) and <id>.out (the sanitised bytes),
// 0700 directories and 0600 files, written with write-then-rename. A record lives under its
// owner's directory, so a lookup is always (owner, id): another user's ID is simply not found.
// IDs are 128 random bits as 32 lower-case hex characters, checked before any path is built.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::transfer {

struct TransferRecord {
  std::string id;
  std::string owner;
  std::string created_at;         // ISO 8601 UTC
  std::string profile;
  std::string verdict;            // "delivered" or "rejected"
  std::string filename;           // the name as uploaded (untrusted; JSON-escaped when shown)
  std::string output_filename;    // cleaned name of the sanitised file, "" when rejected
  std::uint64_t size = 0;
  std::string report_json;        // core::Report::to_json()
  std::string outbox_path;        // where the result was dropped, "" when not
};

class TransferStore {
 public:
  TransferStore(std::string directory, int keep_hours);

  static std::string new_id();                     // throws std::runtime_error without randomness
  static bool is_valid_id(std::string_view id);    // exactly 32 lower-case hex

  // Throws std::runtime_error on I/O failure (answered 500, the upload is not lost silently).
  void save(const TransferRecord& record, const std::string* output) const;
  std::optional<TransferRecord> find(const std::string& owner, std::string_view id) const;
  std::optional<std::string> output(const std::string& owner, std::string_view id) const;
  // Newest first, at most `max` records.
  std::vector<TransferRecord> list(const std::string& owner, std::size_t max) const;
  // Deletes records older than keep_hours; at most once every 10 minutes unless forced.
  void purge_expired(bool force = false);

 private:
  std::string user_dir(const std::string& owner) const;

  std::string directory_;
  int keep_hours_;
  std::mutex purge_mutex_;
  std::int64_t last_purge_ = 0;
};

// Drops `bytes` as <outbox_dir>/<owner>/<id>-<clean_name>: written to a hidden temporary name in
// the same directory, fsynced, then renamed, so the LGWAN side never sees half a file. Returns the
// final path. Throws std::runtime_error on I/O failure.
std::string drop_into_outbox(const std::string& outbox_dir, const std::string& owner, const std::string& id,
                             const std::string& clean_name, const std::string& bytes);

}  // namespace mugai::transfer
