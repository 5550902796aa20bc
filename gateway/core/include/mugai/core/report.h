// The per-message (or per-file) report: one entry per MIME part or archive member, with what was
// done and why. Serialised as JSON (schema in README "Report").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::core {

struct PartReport {
  std::string path;                // "1.2", members "1.2/3"
  std::string role;                // "body" (text shown in the message) or "attachment"
  std::string declared_type;       // from Content-Type, "" for files and members
  std::string detected_type;       // libmagic MIME type
  std::string detected_class;      // to_string(TypeClass)
  std::string filename;            // decoded, as sent (for display; may be hostile -> escaped in JSON)
  std::string output_filename;     // cleaned name the part was delivered under, "" if not delivered
  Action action = Action::removed;
  std::string module;              // module that acted, or "pipeline"
  std::string reason;
  int rule_line = 0;               // config line of the rule that decided, 0 = default deny/built-in
  std::uint64_t size_before = 0;
  std::uint64_t size_after = 0;
  std::string sha256_before;
  std::string sha256_after;        // "" when nothing was delivered
  std::vector<Finding> findings;
  // Archive members, in archive order, each with path "<parent>/<n>" (role "member"); nested
  // archives have their own members. Serialised as "members" only when non-empty.
  std::vector<PartReport> members;
};

struct Report {
  std::string verdict = "rejected";  // "delivered", "rejected" or "tempfail" (a check could not
                                     // be made, e.g. the malware scanner is down: SMTP 451)
  std::string kind;                  // "message" or "file"
  std::string profile;
  std::string reason;                // message-level reason when rejected, else ""
  std::string rejection_code;        // e.g. "limit.max-depth", "policy.executable"
  std::string quarantine_id;         // = sha256 of the original
  std::uint64_t size_before = 0;
  std::uint64_t size_after = 0;
  std::string sha256_before;
  std::string sha256_after;
  std::vector<PartReport> parts;
  std::vector<Finding> findings;     // message-level (parser repairs, header problems)
  std::string malware_scan = "not performed";  // or "clamd" when every leaf was scanned

  std::string to_json() const;       // pretty, UTF-8
};

}  // namespace mugai::core
