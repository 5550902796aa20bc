// Durable state of release requests, beside the quarantine: <quarantine_dir>/releases/<id>.json
// (the request record), <id>.out (the sanitised result waiting for approval; never a decrypted
// original) and <id>.lock. One request per quarantined item: the ID is the quarantine ID,
// validated (64 lower-case hex) before any path is built. Records are written with
// write-then-rename + fsync; every change happens under an flock on <id>.lock, shared by the
// daemon and the CLI, so a state is read and changed by one party at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mugai::release {

// awaiting-password -> awaiting-approval -> delivering -> released
// (sanitized content; original content starts at awaiting-approval). denied and released are
// final; failed (delivery or decryption failed for good) allows a new request.
struct ReleaseRecord {
  std::string id;
  std::string state;
  std::string content;    // sanitized | original
  std::string approval;   // none | superior | admin
  std::string requester;  // user name
  std::string address;    // the requester's address the item was sent to (delivery goes there)
  std::string requested_at;
  std::string updated_at;
  std::string decided_by;
  std::string comment;
  std::string reason;     // why failed
  std::string token;      // one-time approval token while awaiting-approval, else ""
  std::string staged_sha256;
  std::vector<std::string> password_failures;  // UTC times of wrong passwords (recent ones)

  nlohmann::json to_json() const;
  static std::optional<ReleaseRecord> from_json(const nlohmann::json& json);
};

class ReleaseStore {
 public:
  explicit ReleaseStore(std::string quarantine_dir);

  // Exclusive lock on one item's record, across threads and processes.
  class Lock {
   public:
    Lock(const ReleaseStore& store, const std::string& id);
    ~Lock();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    int fd_ = -1;
  };

  std::optional<ReleaseRecord> find(const std::string& id) const;
  void save(const ReleaseRecord& record) const;  // throws std::runtime_error on I/O failure
  void stage(const std::string& id, const std::string& bytes) const;
  std::optional<std::string> staged(const std::string& id) const;
  void remove_staged(const std::string& id) const;
  void remove_all(const std::string& id) const;  // record, staged output, lock file
  std::vector<ReleaseRecord> list() const;
  const std::string& directory() const { return directory_; }

 private:
  std::string path(const std::string& id, const char* suffix) const;
  std::string directory_;
};

std::string utc_now();  // ISO 8601, seconds
// A random hex string of 2*bytes characters (OpenSSL RAND_bytes); throws without randomness.
std::string random_hex(std::size_t bytes);

}  // namespace mugai::release
