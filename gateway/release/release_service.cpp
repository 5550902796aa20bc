#include "mugai/release/release_service.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>

#include "mugai/core/digest.h"
#include "mugai/release/delivery.h"
#include "mugai/release/password_release.h"
#include "item_view.h"

namespace mugai::release {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxCommentBytes = 2000;

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

bool tokens_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Answer answer(int status, std::string code, std::string message, json body = json::object()) {
  return Answer{status, std::move(code), std::move(message), std::move(body)};
}

Answer not_found() { return answer(404, "not-found", "no such item (or it is not addressed to you)"); }

}  // namespace

struct ReleaseService::Item {
  core::QuarantineEntry entry;
  std::optional<ReleaseRecord> record;
};

ReleaseService::ReleaseService(std::shared_ptr<const core::Config> config, core::AuditLog* audit)
    : config_(std::move(config)), audit_(audit), quarantine_(config_->quarantine_dir), store_(config_->quarantine_dir) {}

bool ReleaseService::is_admin(const std::string& user) const {
  const auto& admins = config_->release.admins;
  return !user.empty() && std::find(admins.begin(), admins.end(), user) != admins.end();
}

const core::ReleaseStaff* ReleaseService::staff(const std::string& user) const {
  for (const core::ReleaseStaff& member : config_->release.staff)
    if (member.user == user) return &member;
  return nullptr;
}

std::string ReleaseService::address_of(const std::string& user, const core::QuarantineEntry& entry) const {
  const core::ReleaseStaff* member = staff(user);
  if (!member) return "";
  for (const std::string& recipient : entry.recipients)
    for (const std::string& address : member->addresses)
      if (lower(recipient) == address) return address;
  return "";
}

bool ReleaseService::may_decide(const std::string& user, const ReleaseRecord& record) const {
  if (user.empty() || user == record.requester) return false;  // nobody approves their own request
  if (record.approval == "admin") return is_admin(user);
  if (record.approval == "superior") {
    const core::ReleaseStaff* requester = staff(record.requester);
    return is_admin(user) || (requester && requester->superior == user);
  }
  return false;
}

bool ReleaseService::expired(const core::QuarantineEntry& entry) const {
  const std::optional<Clock::time_point> stored = parse_utc(entry.stored_at);
  if (!stored) return true;  // unknown age: treated as past retention (fail closed)
  return Clock::now() > *stored + std::chrono::hours(24) * config_->quarantine_retention_days;
}

std::optional<ReleaseService::Item> ReleaseService::load(const std::string& id) {
  if (!core::Quarantine::is_valid_id(id)) return std::nullopt;
  std::optional<core::QuarantineEntry> entry = quarantine_.find(id);
  if (!entry) return std::nullopt;
  return Item{std::move(*entry), store_.find(id)};
}

void ReleaseService::audit(const Actor& actor, const std::string& action, const std::string& id,
                           const std::string& outcome, json extra) {
  json line = {{"event", "release"}, {"action", action}, {"user", actor.user}, {"via", actor.via},
               {"outcome", outcome}};
  if (!id.empty()) line["id"] = id;
  if (!actor.client.empty()) line["client"] = actor.client;
  line.update(extra);
  if (!audit_) return;
  // Unaudited steps must not happen silently: a failing log is reported loudly by the caller's
  // process (stderr) and, for state changes, turns the answer into 503 before anything crosses.
  audit_->append(json::parse(line.dump(-1, ' ', false, json::error_handler_t::replace)));
}

json ReleaseService::summary(const core::QuarantineEntry& entry, const std::optional<ReleaseRecord>& record,
                             const Actor& actor) const {
  return item_view(*config_, entry, record, expired(entry), !address_of(actor.user, entry).empty());
}

Answer ReleaseService::view(const Actor& actor, const std::string& id) {
  std::optional<Item> item = load(id);
  if (!item) return not_found();
  const bool visible = is_admin(actor.user) || !address_of(actor.user, item->entry).empty() ||
                       (item->record && may_decide(actor.user, *item->record));
  if (!visible) return not_found();
  return answer(200, "ok", "", summary(item->entry, item->record, actor));
}

Answer ReleaseService::request(const Actor& actor, const std::string& id) {
  if (!core::Quarantine::is_valid_id(id)) return not_found();
  const ReleaseStore::Lock lock(store_, id);
  std::optional<Item> item = load(id);
  const std::string address = item ? address_of(actor.user, item->entry) : "";
  if (!item || address.empty()) {
    audit(actor, "request", id, "refused", {{"reason", "not-addressed-to-user"}});
    return not_found();
  }
  if (expired(item->entry)) {
    audit(actor, "request", id, "refused", {{"reason", "expired"}});
    return answer(410, "expired", "this item is past its retention period and is no longer released");
  }
  if (item->record && item->record->state == "released") {
    audit(actor, "request", id, "refused", {{"reason", "already-released"}});
    return answer(409, "already-released", "this item was already released; it is not released twice");
  }
  if (item->record && item->record->state != "failed") {
    audit(actor, "request", id, "refused", {{"reason", "already-requested"}, {"state", item->record->state}});
    return answer(409, "already-requested", "a release of this item is already " + item->record->state,
                  summary(item->entry, item->record, actor));
  }
  const core::Profile& profile = profile_of(*config_, item->entry);
  const bool encrypted = holds_encrypted_archive(item->entry);
  if (profile.release_content == "sanitized" && !encrypted) {
    audit(actor, "request", id, "refused", {{"reason", "nothing-to-release"}, {"profile", profile.name}});
    return answer(403, "original-not-allowed",
                  "profile " + profile.name + " releases only password-protected archives, sanitised after the "
                  "password; the sanitised rest was already delivered and the original stays in quarantine");
  }
  ReleaseRecord record;
  record.id = id;
  record.requester = actor.user;
  record.address = address;
  record.approval = profile.release_approval;
  // A password-protected archive is always opened and sanitised; the original crosses only
  // where the profile says so and there is no password to enter.
  record.content = encrypted ? "sanitized" : profile.release_content;
  record.requested_at = record.updated_at = utc_now();
  record.state = record.content == "sanitized" ? "awaiting-password" : "awaiting-approval";
  if (record.state == "awaiting-approval") record.token = random_hex(16);
  audit(actor, "request", id, "accepted",
        {{"content", record.content}, {"approval", record.approval}, {"profile", profile.name}, {"address", address}});
  store_.save(record);
  if (record.state == "awaiting-approval" && record.approval == "none") return deliver(actor, item->entry, record);
  if (record.state == "awaiting-approval") notify_approvers(record, item->entry);
  return answer(201, "requested",
                record.state == "awaiting-password" ? "enter the archive's password" : "waiting for approval",
                summary(item->entry, record, actor));
}

Answer ReleaseService::submit_password(const Actor& actor, const std::string& id, const std::string& password) {
  if (!core::Quarantine::is_valid_id(id)) return not_found();
  if (password.empty() || password.size() > kMaxPasswordBytes)
    return answer(400, "bad-password", "the password must have 1 to 1024 bytes");
  const ReleaseStore::Lock lock(store_, id);
  std::optional<Item> item = load(id);
  if (!item || address_of(actor.user, item->entry).empty()) {
    audit(actor, "password-attempt", id, "refused", {{"reason", "not-addressed-to-user"}});
    return not_found();
  }
  if (!item->record || item->record->state != "awaiting-password" || item->record->requester != actor.user) {
    audit(actor, "password-attempt", id, "refused", {{"reason", "no-request-awaiting-password"}});
    return answer(409, "not-awaiting-password", "request the release first (or it no longer waits for a password)");
  }
  ReleaseRecord& record = *item->record;
  if (expired(item->entry)) {
    audit(actor, "password-attempt", id, "refused", {{"reason", "expired"}});
    return answer(410, "expired", "this item is past its retention period and is no longer released");
  }
  // Brute force: wrong passwords within the last hour, per item, durable across restarts.
  const Clock::time_point now = Clock::now();
  std::erase_if(record.password_failures, [&](const std::string& when) {
    const std::optional<Clock::time_point> at = parse_utc(when);
    return !at || *at < now - std::chrono::hours(1);
  });
  if (static_cast<int>(record.password_failures.size()) >= config_->release.password_attempts_per_hour) {
    audit(actor, "password-attempt", id, "throttled", {{"failures_last_hour", record.password_failures.size()}});
    return answer(429, "too-many-attempts",
                  "too many wrong passwords for this item; try again in an hour or ask your administrator");
  }
  const std::optional<std::string> original = quarantine_.original(id);
  if (!original) return answer(404, "not-found", "the original is no longer kept");
  const PasswordRelease opened = sanitise_with_password(*config_, item->entry, *original, password);
  record.updated_at = utc_now();
  switch (opened.outcome) {
    case PasswordOutcome::wrong_password: {
      record.password_failures.push_back(format_utc(now));
      audit(actor, "password-attempt", id, "wrong-password", {{"failures_last_hour", record.password_failures.size()}});
      store_.save(record);
      const int left = config_->release.password_attempts_per_hour - static_cast<int>(record.password_failures.size());
      return answer(403, "wrong-password", "the password does not open the archive",
                    {{"attempts_left", std::max(0, left)}});
    }
    case PasswordOutcome::tempfail:
      audit(actor, "password-attempt", id, "tempfail", {{"reason", opened.reason}});
      return answer(503, "tempfail", "a required check could not be made; try again later");
    case PasswordOutcome::opened:
      break;
    default:
      record.state = "failed";
      record.reason = opened.reason;
      audit(actor, "password-attempt", id, std::string(to_string(opened.outcome)), {{"reason", opened.reason}});
      store_.save(record);
      return answer(422, std::string(to_string(opened.outcome)), opened.reason);
  }
  // The sanitised result waits for approval; the password and the decrypted bytes are gone.
  store_.stage(id, opened.result.output);
  record.staged_sha256 = core::sha256_hex(opened.result.output);
  record.password_failures.clear();
  record.state = "awaiting-approval";
  record.token = random_hex(16);
  json members = json::array();
  held_parts(json::parse(opened.result.report.to_json(), nullptr, false).value("parts", json::array()), members);
  audit(actor, "password-attempt", id, "opened",
        {{"profile", opened.profile}, {"sha256_out", record.staged_sha256}, {"not_kept", members.size()}});
  store_.save(record);
  if (record.approval == "none") return deliver(actor, item->entry, record);
  notify_approvers(record, item->entry);
  json body = summary(item->entry, record, actor);
  body["sanitised_report"] = json::parse(opened.result.report.to_json(), nullptr, false);
  return answer(200, "awaiting-approval", "the archive was opened and sanitised; waiting for approval", body);
}

Answer ReleaseService::decide(const Actor& actor, const std::string& id, bool approve, const std::string& token,
                              const std::string& comment) {
  const std::string action = approve ? "approve" : "deny";
  if (!core::Quarantine::is_valid_id(id)) return not_found();
  if (comment.size() > kMaxCommentBytes) return answer(400, "bad-comment", "the comment is too long (2000 bytes)");
  const ReleaseStore::Lock lock(store_, id);
  std::optional<Item> item = load(id);
  if (!item || !item->record || !may_decide(actor.user, *item->record)) {
    audit(actor, action, id, "refused", {{"reason", "not-an-approver"}});
    return not_found();
  }
  ReleaseRecord& record = *item->record;
  // The token binds a decision to this request in this state, once: a replayed or stale form
  // (after a decision, or after a new request) no longer matches.
  if (record.state != "awaiting-approval" || !tokens_equal(token, record.token)) {
    audit(actor, action, id, "refused", {{"reason", "stale-or-replayed"}, {"state", record.state}});
    return answer(409, "stale-decision", "this request is no longer waiting for this decision (state: " +
                                             record.state + ")");
  }
  if (expired(item->entry)) {
    audit(actor, action, id, "refused", {{"reason", "expired"}});
    return answer(410, "expired", "this item is past its retention period and is no longer released");
  }
  record.token.clear();
  record.decided_by = actor.user;
  record.comment = comment;
  record.updated_at = utc_now();
  if (!approve) {
    record.state = "denied";
    audit(actor, "deny", id, "denied", {{"requester", record.requester}, {"comment", comment}});
    store_.save(record);
    store_.remove_staged(id);
    notify(record, item->entry, "denied", record.address);
    return answer(200, "denied", "the request was denied; the requester is told by mail", summary(item->entry, record, actor));
  }
  audit(actor, "approve", id, "approved", {{"requester", record.requester}, {"comment", comment}});
  return deliver(actor, item->entry, record);
}

Answer ReleaseService::deliver(const Actor& actor, const core::QuarantineEntry& entry, ReleaseRecord& record) {
  std::optional<std::string> bytes =
      record.content == "original" ? quarantine_.original(entry.id) : store_.staged(entry.id);
  if (!bytes) {
    record.state = "failed";
    record.reason = "nothing staged to deliver";
    store_.save(record);
    audit(actor, "release", entry.id, "failed", {{"reason", record.reason}});
    return answer(500, "failed", record.reason);
  }
  // Exactly once: "delivering" is on disk before the first byte leaves. A crash in between leaves
  // it there (never sent twice automatically); an administrator sees it in the queue.
  record.state = "delivering";
  record.updated_at = utc_now();
  store_.save(record);
  const DeliveryResult sent = deliver_mail(*config_, entry.sender, {record.address}, entry.id, *bytes);
  if (!sent.accepted) {
    // Not delivered: the approval stays valid for one more try with a fresh token.
    record.state = "awaiting-approval";
    record.token = random_hex(16);
    record.reason = sent.summary;
    store_.save(record);
    audit(actor, "release", entry.id, "delivery-failed", {{"downstream", sent.summary}});
    return answer(503, "delivery-failed", "the LGWAN side did not accept the delivery; try again later");
  }
  record.state = "released";
  record.reason.clear();
  record.updated_at = utc_now();
  store_.save(record);
  store_.remove_staged(entry.id);
  audit(actor, "release", entry.id, "released",
        {{"content", record.content}, {"to", record.address}, {"sha256_out", core::sha256_hex(*bytes)},
         {"downstream", sent.summary}});
  notify(record, entry, "released", record.address);
  return answer(200, "released", "released into the LGWAN side", summary(entry, record, actor));
}

// The approvers who have a mail address in release.staff: the requester's superior (superior
// approval), else the administrators. Without an address they still see the queue.
void ReleaseService::notify_approvers(const ReleaseRecord& record, const core::QuarantineEntry& entry) {
  std::vector<std::string> approvers;
  const core::ReleaseStaff* requester = staff(record.requester);
  if (record.approval == "superior" && requester && !requester->superior.empty())
    approvers.push_back(requester->superior);
  else
    approvers = config_->release.admins;
  for (const std::string& approver : approvers)
    if (const core::ReleaseStaff* member = staff(approver); member && approver != record.requester)
      notify(record, entry, "approval-needed", member->addresses.front());
}

void ReleaseService::notify(const ReleaseRecord& record, const core::QuarantineEntry& entry, const std::string& what,
                            const std::string& to) {
  const std::string mail = notification_mail(*config_, record, entry, what, to);
  const DeliveryResult sent = deliver_mail(*config_, config_->release.notify_from, {to}, entry.id, mail);
  if (!sent.accepted) std::cerr << "mugai: release: notification to " << to << " failed: " << sent.summary << "\n";
  try {
    audit(Actor{"mugai", "notify", ""}, "notify", entry.id, sent.accepted ? "sent" : "failed",
          {{"to", to}, {"what", what}, {"downstream", sent.summary}});
  } catch (const std::exception& error) {
    std::cerr << "mugai: release: audit log: " << error.what() << "\n";
  }
}

Answer ReleaseService::queue(const Actor& actor) {
  json items = json::array();
  for (const ReleaseRecord& record : store_.list()) {
    if (record.state != "awaiting-approval" || !may_decide(actor.user, record)) continue;
    const std::optional<core::QuarantineEntry> entry = quarantine_.find(record.id);
    if (!entry) continue;
    json item = summary(*entry, record, actor);
    item["token"] = record.token;
    items.push_back(std::move(item));
  }
  return answer(200, "ok", "", {{"items", items}});
}

Answer ReleaseService::settle_delivering(const Actor& actor, const std::string& id, bool delivered,
                                         const std::string& comment) {
  const std::string action = "settle";
  if (!core::Quarantine::is_valid_id(id)) return not_found();
  if (comment.size() > kMaxCommentBytes) return answer(400, "bad-comment", "the comment is too long (2000 bytes)");
  if (!is_admin(actor.user)) {
    audit(actor, action, id, "refused", {{"reason", "not-an-administrator"}});
    return not_found();
  }
  const ReleaseStore::Lock lock(store_, id);
  std::optional<Item> item = load(id);
  if (!item || !item->record) return not_found();
  ReleaseRecord& record = *item->record;
  if (record.state != "delivering") {
    audit(actor, action, id, "refused", {{"reason", "not-delivering"}, {"state", record.state}});
    return answer(409, "not-delivering", "only an item stuck in 'delivering' is settled (state: " + record.state + ")");
  }
  record.decided_by = actor.user;
  record.comment = comment;
  record.updated_at = utc_now();
  if (delivered) {
    // The administrator found it at the downstream: it crossed once, so it never crosses again.
    record.state = "released";
    record.reason.clear();
    store_.save(record);
    store_.remove_staged(id);
    audit(actor, action, id, "released", {{"comment", comment}, {"requester", record.requester}});
    notify(record, item->entry, "released", record.address);
    return answer(200, "released", "marked as released; it will not be delivered again", summary(item->entry, record, actor));
  }
  // Not at the downstream: back to the approver with a fresh token, as after a refused delivery.
  record.state = "awaiting-approval";
  record.token = random_hex(16);
  record.reason = "delivery interrupted; settled as not delivered by " + actor.user;
  store_.save(record);
  audit(actor, action, id, "returned-to-approval", {{"comment", comment}, {"requester", record.requester}});
  return answer(200, "awaiting-approval", "returned to the approval queue; approve again to deliver",
                summary(item->entry, record, actor));
}

Answer ReleaseService::purge(const Actor& actor) {
  std::size_t purged = 0;
  for (const core::QuarantineEntry& entry : quarantine_.list()) {
    if (!expired(entry)) continue;
    const ReleaseStore::Lock lock(store_, entry.id);
    const std::optional<ReleaseRecord> record = [&]() -> std::optional<ReleaseRecord> {
      try {
        return store_.find(entry.id);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }();
    audit(actor, "purge", entry.id, "deleted",
          {{"stored_at", entry.stored_at}, {"retention_days", config_->quarantine_retention_days},
           {"size", entry.size}, {"request_state", record ? record->state : ""}});
    quarantine_.remove(entry.id);
    store_.remove_all(entry.id);
    ++purged;
  }
  return answer(200, "ok", std::to_string(purged) + " item(s) deleted", {{"purged", purged}});
}

}  // namespace mugai::release
