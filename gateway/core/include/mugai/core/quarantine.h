// The quarantine of originals (Internet side): content-addressed (ID = SHA-256 of the original),
// metadata beside it as JSON, written with write-then-rename so a crash never leaves half a file.
// Never delivered automatically.
//
// Layout: <dir>/<id[0:2]>/<id>.orig (the bytes as received), <id>.json (metadata + report, from
// the first store), <id>.deliveries (JSON lines: later stores of the same original) and
// <id>.more (how many later stores were past kMaxDeliveryRecords).
// Directories are created 0700, files 0600 (originals are hostile and personal data). IDs are
// checked to be 64 lower-case hex characters before any path is built, so no ID can name a file
// outside the store (path traversal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::core {

// A later store of an original that was already quarantined (the same attachment sent again, to
// other recipients): recorded in the metadata, the first original and report are kept.
struct QuarantineDelivery {
  std::string stored_at;
  std::string sender;
  std::vector<std::string> recipients;
  std::string subject;
  std::string profile;
  std::string verdict;
};

struct QuarantineEntry {
  std::string id;            // sha256 hex of the original
  std::string stored_at;     // ISO 8601 UTC
  std::string kind;          // "message" or "file"
  std::string sender;        // envelope, if known
  std::vector<std::string> recipients;
  std::string subject;       // decoded UTF-8, or the file name in file mode
  std::string profile;
  std::string verdict;
  std::uint64_t size = 0;
  std::string report_json;   // the pipeline report

  // Filled by find()/list(); ignored by store().
  std::uint64_t delivery_count = 1;             // stores of this original, the first included
  std::vector<QuarantineDelivery> deliveries;   // the later stores (at most kMaxDeliveryRecords)
};

// An original with its SHA-256, hashed once at construction: a caller that needs the digest
// too (the SMTP audit line, the worker's failure count) hands this to store_original() and
// store() instead of having the message hashed three times. Holds a reference: the bytes must
// outlive it and stay unchanged.
class HashedOriginal {
 public:
  explicit HashedOriginal(const std::string& bytes);
  const std::string& bytes() const { return bytes_; }
  const std::string& sha256() const { return sha256_; }

 private:
  const std::string& bytes_;
  std::string sha256_;
};

enum class IdMatch { found, invalid, not_found, ambiguous };

struct IdLookup {
  IdMatch match = IdMatch::invalid;
  std::string id;                       // the full ID when found
  std::vector<std::string> candidates;  // when ambiguous
};

class Quarantine {
 public:
  static constexpr std::size_t kIdLength = 64;
  static constexpr std::size_t kMinPrefixLength = 8;
  // Later stores of the same original are appended to <id>.deliveries (one JSON line each, the
  // metadata file is written once); past this many lines only a count grows (<id>.more,
  // rewritten in place), so a flood of one message cannot grow the store without bound.
  static constexpr std::size_t kMaxDeliveryRecords = 100;

  explicit Quarantine(std::string directory);
  // Stores original + metadata; storing the same original again adds nothing new but is not an
  // error. Throws std::runtime_error on I/O failure (an environment error: callers answer 4xx).
  // entry.id may be empty (computed); when given it must equal the SHA-256 of `original`.
  // entry.stored_at empty = now. entry.size is taken from `original`.
  void store(const std::string& original, const QuarantineEntry& entry) const;
  void store(const HashedOriginal& original, const QuarantineEntry& entry) const;
  // The first half of store(), for a caller with time to spare while it waits for something
  // else: writes and syncs `original` as <id>.orig (invisible to list() and find() until store()
  // adds its metadata). Its directory entry becomes durable with that store(), which must follow
  // before anything relies on the original being kept. Throws like store().
  void store_original(const HashedOriginal& original) const;
  // Undoes a store_original() that no store() followed (the message was not taken after all):
  // deletes <id>.orig unless metadata exists for it. Never throws.
  void discard_unlisted_original(const std::string& id) const noexcept;
  // Sorted by stored_at (then ID). A missing directory is an empty quarantine. Entries whose
  // metadata cannot be parsed are listed with verdict "unreadable-metadata".
  std::vector<QuarantineEntry> list() const;
  std::optional<QuarantineEntry> find(const std::string& id) const;  // id validated: hex only
  std::optional<std::string> original(const std::string& id) const;
  // Deletes original and metadata (retention, `mugai quarantine purge`). false when there was
  // nothing to delete or the ID is invalid; throws std::runtime_error on I/O failure.
  bool remove(const std::string& id) const;
  const std::string& directory() const { return directory_; }

  // A full ID, or a unique prefix of at least kMinPrefixLength lower-case hex characters.
  IdLookup resolve(std::string_view id_or_prefix) const;

  static bool is_valid_id(std::string_view id);          // exactly 64 lower-case hex
  static bool is_valid_prefix(std::string_view prefix);  // 8..64 lower-case hex

 private:
  std::string shard_for(const HashedOriginal& original) const;  // created if missing
  // Writes <id>.orig unless it exists (true: written now); the caller holds the shard's lock.
  bool write_original_locked(const std::string& shard, const HashedOriginal& original) const;

  std::string directory_;
};

}  // namespace mugai::core
