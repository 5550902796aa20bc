#include "mugai/core/report.h"

#include <nlohmann/json.hpp>

namespace mugai::core {
namespace {

nlohmann::json findings_json(const std::vector<Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const Finding& finding : findings)
    list.push_back({{"code", finding.code}, {"detail", finding.detail}});
  return list;
}

nlohmann::json part_json(const PartReport& part) {
  nlohmann::json json = {
      {"path", part.path},
      {"role", part.role},
      {"declared_type", part.declared_type},
      {"detected_type", part.detected_type},
      {"detected_class", part.detected_class},
      {"filename", part.filename},
      {"output_filename", part.output_filename},
      {"action", std::string(to_string(part.action))},
      {"module", part.module},
      {"reason", part.reason},
      {"rule_line", part.rule_line},
      {"size_before", part.size_before},
      {"size_after", part.size_after},
      {"sha256_before", part.sha256_before},
      {"sha256_after", part.sha256_after},
      {"findings", findings_json(part.findings)},
  };
  if (!part.members.empty()) {
    nlohmann::json members = nlohmann::json::array();
    for (const PartReport& member : part.members) members.push_back(part_json(member));
    json["members"] = std::move(members);
  }
  return json;
}

}  // namespace

std::string Report::to_json() const {
  nlohmann::json parts_json = nlohmann::json::array();
  for (const PartReport& part : parts) parts_json.push_back(part_json(part));
  const nlohmann::json document = {
      {"verdict", verdict},
      {"kind", kind},
      {"profile", profile},
      {"reason", reason},
      {"rejection_code", rejection_code},
      {"quarantine_id", quarantine_id},
      {"size_before", size_before},
      {"size_after", size_after},
      {"sha256_before", sha256_before},
      {"sha256_after", sha256_after},
      {"findings", findings_json(findings)},
      {"malware_scan", malware_scan},
      {"parts", parts_json},
  };
  // Hostile names may carry invalid UTF-8: replace rather than throw.
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mugai::core
