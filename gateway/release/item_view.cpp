#include "item_view.h"

#include <ctime>

#include "mugai/release/password_release.h"

namespace mugai::release {

using nlohmann::json;

std::optional<Clock::time_point> parse_utc(const std::string& text) {
  std::tm utc{};
  if (text.size() < 19 || ::strptime(text.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &utc) == nullptr)
    return std::nullopt;
  return Clock::from_time_t(::timegm(&utc));
}

std::string format_utc(Clock::time_point when) {
  const std::time_t seconds = Clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void held_parts(const json& parts, json& out) {
  if (!parts.is_array()) return;
  for (const json& part : parts) {
    if (!part.is_object()) continue;
    const std::string action = part.value("action", "");
    if (action != "kept" && action != "converted")
      out.push_back({{"path", part.value("path", "")},
                     {"filename", part.value("filename", "")},
                     {"type", part.value("detected_type", "")},
                     {"action", action},
                     {"reason", part.value("reason", "")},
                     {"size", part.value("size_before", json(0))},
                     {"sha256", part.value("sha256_before", "")}});
    if (const auto members = part.find("members"); members != part.end()) held_parts(*members, out);
  }
}

json item_view(const core::Config& config, const core::QuarantineEntry& entry,
               const std::optional<ReleaseRecord>& record, bool expired, bool may_request) {
  json held = json::array();
  const json report = json::parse(entry.report_json, nullptr, false);
  if (!report.is_discarded() && report.is_object()) held_parts(report.value("parts", json::array()), held);
  const std::optional<Clock::time_point> stored = parse_utc(entry.stored_at);
  const core::Profile& profile = profile_of(config, entry);
  json body = {{"id", entry.id},
               {"kind", entry.kind},
               {"stored_at", entry.stored_at},
               {"expires_at", stored ? format_utc(*stored + std::chrono::hours(24) * config.quarantine_retention_days)
                                     : ""},
               {"expired", expired},
               {"sender", entry.sender},
               {"subject", entry.subject},
               {"size", entry.size},
               {"sha256", entry.id},
               {"verdict", entry.verdict},
               {"reason", report.is_object() ? report.value("reason", "") : ""},
               {"profile", profile.name},
               {"approval", profile.release_approval},
               {"content", profile.release_content},
               {"encrypted", holds_encrypted_archive(entry)},
               {"held", held},
               {"request", nullptr},
               {"may_request", may_request}};
  if (record) {
    body["request"] = {{"state", record->state},
                       {"requester", record->requester},
                       {"content", record->content},
                       {"approval", record->approval},
                       {"requested_at", record->requested_at},
                       {"updated_at", record->updated_at},
                       {"decided_by", record->decided_by},
                       {"comment", record->comment},
                       {"reason", record->reason},
                       {"password_attempts_left",
                        std::max<int>(0, config.release.password_attempts_per_hour -
                                             static_cast<int>(record->password_failures.size()))}};
  }
  return body;
}

}  // namespace mugai::release
