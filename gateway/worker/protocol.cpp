#include "mugai/worker/protocol.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "mugai/core/quarantine.h"

namespace mugai::worker {
namespace {

using Json = nlohmann::json;

std::string dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string hex_of(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  std::size_t length = 0;
  if (OPENSSL_buf2hexstr_ex(hex.data(), hex.size(), &length, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size(), '\0') != 1)
    return {};
  hex.resize(length > 0 ? length - 1 : 0);  // without the terminating NUL
  return hex;
}

std::optional<std::string> bytes_of_hex(const std::string& hex) {
  if (hex.empty()) return std::string();
  std::string bytes(hex.size() / 2 + 1, '\0');
  std::size_t length = 0;
  if (OPENSSL_hexstr2buf_ex(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), &length, hex.c_str(), '\0') != 1)
    return std::nullopt;
  bytes.resize(length);
  return bytes;
}

std::vector<Finding> findings_from(const Json& list) {
  std::vector<Finding> findings;
  for (const Json& item : list) findings.push_back({item.at("code").get<std::string>(), item.at("detail").get<std::string>()});
  return findings;
}

core::PartReport part_from(const Json& json) {
  core::PartReport part;
  part.path = json.at("path").get<std::string>();
  part.role = json.at("role").get<std::string>();
  part.declared_type = json.at("declared_type").get<std::string>();
  part.detected_type = json.at("detected_type").get<std::string>();
  part.detected_class = json.at("detected_class").get<std::string>();
  part.filename = json.at("filename").get<std::string>();
  part.output_filename = json.at("output_filename").get<std::string>();
  const std::optional<Action> action = action_from_string(json.at("action").get<std::string>());
  if (!action) throw std::runtime_error("unknown action in report");
  part.action = *action;
  part.module = json.at("module").get<std::string>();
  part.reason = json.at("reason").get<std::string>();
  part.rule_line = json.at("rule_line").get<int>();
  part.size_before = json.at("size_before").get<std::uint64_t>();
  part.size_after = json.at("size_after").get<std::uint64_t>();
  part.sha256_before = json.at("sha256_before").get<std::string>();
  part.sha256_after = json.at("sha256_after").get<std::string>();
  part.findings = findings_from(json.at("findings"));
  if (const auto members = json.find("members"); members != json.end())
    for (const Json& member : *members) part.members.push_back(part_from(member));
  return part;
}

core::Report report_from(const Json& json) {
  core::Report report;
  report.verdict = json.at("verdict").get<std::string>();
  report.kind = json.at("kind").get<std::string>();
  report.profile = json.at("profile").get<std::string>();
  report.reason = json.at("reason").get<std::string>();
  report.rejection_code = json.at("rejection_code").get<std::string>();
  report.quarantine_id = json.at("quarantine_id").get<std::string>();
  report.size_before = json.at("size_before").get<std::uint64_t>();
  report.size_after = json.at("size_after").get<std::uint64_t>();
  report.sha256_before = json.at("sha256_before").get<std::string>();
  report.sha256_after = json.at("sha256_after").get<std::string>();
  report.findings = findings_from(json.at("findings"));
  report.malware_scan = json.at("malware_scan").get<std::string>();
  for (const Json& part : json.at("parts")) report.parts.push_back(part_from(part));
  return report;
}

}  // namespace

std::string encode_job_header(const Job& job) {
  Json header{{"kind", job.kind == core::InputKind::file ? "file" : "message"},
              {"profile", job.profile},
              {"filename", job.filename},
              {"mail_from", job.mail_from},
              {"rcpt_to", job.rcpt_to}};
  if (!job.input_sha256.empty()) header["input_sha256"] = job.input_sha256;
  // Hex: a password is bytes (a CP932 one from a password file too) and JSON text is UTF-8 only.
  if (!job.archive_passwords.empty()) {
    Json passwords = Json::array();
    for (const std::string& password : job.archive_passwords) passwords.push_back(hex_of(password));
    header["archive_passwords_hex"] = passwords;
  }
  return dump(header);
}

std::optional<Job> decode_job_header(const std::string& header) {
  try {
    const Json json = Json::parse(header);
    Job job;
    const std::string kind = json.at("kind").get<std::string>();
    if (kind != "message" && kind != "file") return std::nullopt;
    job.kind = kind == "file" ? core::InputKind::file : core::InputKind::message;
    job.profile = json.at("profile").get<std::string>();
    job.filename = json.at("filename").get<std::string>();
    job.mail_from = json.at("mail_from").get<std::string>();
    job.rcpt_to = json.at("rcpt_to").get<std::vector<std::string>>();
    if (const auto digest = json.find("input_sha256"); digest != json.end()) {
      job.input_sha256 = digest->get<std::string>();
      if (!core::Quarantine::is_valid_id(job.input_sha256)) return std::nullopt;
    }
    if (const auto passwords = json.find("archive_passwords_hex"); passwords != json.end()) {
      for (const Json& password : *passwords) {
        std::optional<std::string> bytes = bytes_of_hex(password.get<std::string>());
        if (!bytes) return std::nullopt;
        job.archive_passwords.push_back(std::move(*bytes));
      }
    }
    return job;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string encode_result_header(const core::Result& result, bool retire) {
  return dump({{"status", "ok"},
               {"delivered", result.delivered},
               {"tempfail", result.tempfail},
               {"rejects", !result.delivered && !result.tempfail},
               {"verdict", result.report.verdict},
               {"output_filename", result.output_filename},
               {"retire", retire},
               {"report", Json::parse(result.report.to_json())}});
}

std::string encode_error_header(const std::string& error) { return dump({{"status", "error"}, {"error", error}}); }

DecodedResult decode_result_header(const std::string& header) {
  DecodedResult decoded;
  try {
    const Json json = Json::parse(header);
    if (json.at("status").get<std::string>() != "ok") {
      decoded.error = json.value("error", std::string("worker error"));
      return decoded;
    }
    decoded.result.delivered = json.at("delivered").get<bool>();
    decoded.result.tempfail = json.at("tempfail").get<bool>();
    decoded.result.output_filename = json.at("output_filename").get<std::string>();
    decoded.retire = json.at("retire").get<bool>();
    decoded.result.report = report_from(json.at("report"));
    decoded.ok = true;
  } catch (const std::exception& error) {
    decoded.ok = false;
    decoded.error = std::string("malformed worker response: ") + error.what();
  }
  return decoded;
}

std::optional<core::Report> report_from_json(const std::string& json_text) {
  try {
    return report_from(Json::parse(json_text));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace mugai::worker
