// The quarantine of originals (Internet side): content-addressed (ID = SHA-256 of the original),
// metadata beside it as JSON, written with write-then-rename so a crash never leaves half a file.
// Never delivered automatically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mugai::core {

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
};

class Quarantine {
 public:
  explicit Quarantine(std::string directory);
  // Stores original + metadata; storing the same original again adds nothing new but is not an
  // error. Throws std::runtime_error on I/O failure (an environment error: callers answer 4xx).
  void store(const std::string& original, const QuarantineEntry& entry) const;
  std::vector<QuarantineEntry> list() const;
  std::optional<QuarantineEntry> find(const std::string& id) const;  // id validated: hex only
  std::optional<std::string> original(const std::string& id) const;
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

}  // namespace mugai::core
