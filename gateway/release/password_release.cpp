#include "mugai/release/password_release.h"

#include <nlohmann/json.hpp>

#include "mugai/worker/isolated_sanitise.h"

namespace mugai::release {
namespace {

bool any_finding(const std::vector<core::PartReport>& parts, std::string_view code) {
  for (const core::PartReport& part : parts) {
    for (const Finding& finding : part.findings)
      if (finding.code == code) return true;
    if (any_finding(part.members, code)) return true;
  }
  return false;
}

bool json_has_finding(const nlohmann::json& node, std::string_view code) {
  if (node.is_object()) {
    if (const auto found = node.find("code"); found != node.end() && found->is_string() && *found == code) return true;
    for (const auto& [key, value] : node.items())
      if (json_has_finding(value, code)) return true;
  } else if (node.is_array()) {
    for (const auto& value : node)
      if (json_has_finding(value, code)) return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(PasswordOutcome outcome) {
  switch (outcome) {
    case PasswordOutcome::opened: return "opened";
    case PasswordOutcome::wrong_password: return "wrong-password";
    case PasswordOutcome::not_encrypted: return "not-encrypted";
    case PasswordOutcome::unsupported: return "decryption-unsupported";
    case PasswordOutcome::rejected: return "rejected";
    case PasswordOutcome::tempfail: return "tempfail";
  }
  return "rejected";
}

const core::Profile& profile_of(const core::Config& config, const core::QuarantineEntry& entry) {
  const auto found = config.profiles.find(entry.profile);
  return found != config.profiles.end() ? found->second : core::select_profile(config, entry.sender, entry.recipients);
}

bool holds_encrypted_archive(const core::QuarantineEntry& entry) {
  const nlohmann::json report = nlohmann::json::parse(entry.report_json, nullptr, false);
  return !report.is_discarded() && json_has_finding(report, "archive.encrypted");
}

PasswordRelease sanitise_with_password(const core::Config& config, const core::QuarantineEntry& entry,
                                       const std::string& original, const std::string& password) {
  PasswordRelease release;
  const core::Profile& profile = profile_of(config, entry);
  release.profile = profile.name;
  // Decryption and everything after it run in an isolated worker (the pool `mugai serve` or the
  // CLI installed), like any untrusted input: a bomb or a parser crash behind the password costs
  // a worker, not the release service.
  worker::Job job;
  job.kind = entry.kind == "file" ? core::InputKind::file : core::InputKind::message;
  job.profile = profile.name;
  job.filename = entry.kind == "file" ? entry.subject : "";
  job.input = original;
  job.archive_passwords.push_back(password);
  release.result = worker::sanitise_isolated(job, config, profile);
  const std::vector<core::PartReport>& parts = release.result.report.parts;

  // A limit crossed inside the opened archive (a bomb behind the password) removes it before any
  // "decrypted" finding: the stored report still says what was encrypted.
  if (release.result.tempfail && release.result.report.rejection_code == "sanitiser-failure") {
    release.outcome = PasswordOutcome::tempfail;  // the worker died: nothing is known of the password
    release.reason = release.result.report.reason;
  } else if (!any_finding(parts, "archive.encrypted") && !any_finding(parts, "archive.decrypted") &&
      !holds_encrypted_archive(entry)) {
    release.outcome = PasswordOutcome::not_encrypted;
    release.reason = "the entry holds no password-protected archive";
  } else if (any_finding(parts, "archive.decryption-unsupported")) {
    release.outcome = PasswordOutcome::unsupported;
    release.reason = "mugai (libarchive) cannot decrypt this archive format (e.g. 7z AES, RAR); "
                     "the original stays in quarantine";
  } else if (any_finding(parts, "archive.password-incorrect")) {
    release.outcome = PasswordOutcome::wrong_password;
    release.reason = "the password does not open the archive";
  } else if (release.result.tempfail) {
    release.outcome = PasswordOutcome::tempfail;
    release.reason = release.result.report.reason;
  } else if (!release.result.delivered) {
    release.outcome = PasswordOutcome::rejected;
    release.reason = "the decrypted content is refused by profile " + profile.name + ": " + release.result.report.reason;
  } else {
    release.outcome = PasswordOutcome::opened;
  }
  if (release.outcome != PasswordOutcome::opened) release.result.output.clear();
  return release;
}

}  // namespace mugai::release
