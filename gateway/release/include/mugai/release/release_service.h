// The quarantine release workflow (issue 9), independent of HTTP and of the command line: who may
// see a held item, requesting it, PPAP passwords (rate-limited per item, never stored or logged),
// approval by the requester's superior or an administrator (per profile), delivery of the result
// into the LGWAN side through serve's transport (downstream MTA or outbox) exactly once, mails
// to the requester, retention purge. Every step is one audit line ("event": "release").
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "mugai/core/audit_log.h"
#include "mugai/core/config.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/release_store.h"

namespace mugai::release {

struct Actor {
  std::string user;    // web user name, proxy-header user, or --as/--by on the command line
  std::string via;     // "web", "proxy", "cli"
  std::string client;  // remote address, "" on the command line
};

// What happened, in HTTP-like terms so both front ends map it directly.
struct Answer {
  int status = 200;      // 200 ok, 201 created, 400, 403, 404, 409 conflict, 410 expired, 429, 503
  std::string code;      // machine word: "ok", "not-found", "wrong-password", "already-released", ...
  std::string message;   // plain English for people
  nlohmann::json body = nlohmann::json::object();
  bool ok() const { return status < 300; }
};

class ReleaseService {
 public:
  // audit may be null only in unit tests; the front ends always pass one.
  ReleaseService(std::shared_ptr<const core::Config> config, core::AuditLog* audit);

  // What was held, why, size, sender, SHA-256 and the request's state: never content.
  Answer view(const Actor& actor, const std::string& id);
  Answer request(const Actor& actor, const std::string& id);
  Answer submit_password(const Actor& actor, const std::string& id, const std::string& password);
  // approve = false: deny. token: the one-time token shown in the approver's queue.
  Answer decide(const Actor& actor, const std::string& id, bool approve, const std::string& token,
                const std::string& comment);
  // Requests waiting for this approver, each with its one-time token.
  Answer queue(const Actor& actor);
  // An item left in "delivering" by a crash mid-delivery (never retried automatically): an
  // administrator who checked the downstream says whether it arrived. delivered = true: released
  // (final); false: back to awaiting-approval with a new token.
  Answer settle_delivering(const Actor& actor, const std::string& id, bool delivered, const std::string& comment);
  // Deletes every quarantined item older than quarantine_retention_days, and its request.
  Answer purge(const Actor& actor);

  bool is_admin(const std::string& user) const;
  const core::ReleaseStaff* staff(const std::string& user) const;

 private:
  struct Item;
  std::optional<Item> load(const std::string& id);
  bool expired(const core::QuarantineEntry& entry) const;
  std::string address_of(const std::string& user, const core::QuarantineEntry& entry) const;
  bool may_decide(const std::string& user, const ReleaseRecord& record) const;
  Answer deliver(const Actor& actor, const core::QuarantineEntry& entry, ReleaseRecord& record);
  void notify(const ReleaseRecord& record, const core::QuarantineEntry& entry, const std::string& what,
              const std::string& to);
  void notify_approvers(const ReleaseRecord& record, const core::QuarantineEntry& entry);
  void audit(const Actor& actor, const std::string& action, const std::string& id, const std::string& outcome,
             nlohmann::json extra = nlohmann::json::object());
  nlohmann::json summary(const core::QuarantineEntry& entry, const std::optional<ReleaseRecord>& record,
                         const Actor& actor) const;

  std::shared_ptr<const core::Config> config_;
  core::AuditLog* audit_;
  core::Quarantine quarantine_;
  ReleaseStore store_;
};

}  // namespace mugai::release
