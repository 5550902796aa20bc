#include "notice.h"

#include "mugai/core/filename.h"

namespace mugai::core {
namespace {

std::string_view action_ja(Action action) {
  switch (action) {
    case Action::kept: return "そのまま通過";
    case Action::converted: return "テキストに変換";
    case Action::sanitized: return "無害化";
    case Action::removed: return "削除";
    case Action::rejected: return "拒否";
    case Action::held: return "保留（隔離）";
  }
  return "?";
}

// Names are shown cleaned: a raw name could carry U+202E and reverse what the reader sees.
std::string shown_name(const PartReport& part) {
  return part.output_filename.empty() ? clean_filename(part.filename, 120).name : part.output_filename;
}

std::string label_of(const PartReport& part) {
  if (!part.filename.empty()) return shown_name(part);
  if (part.role == "body") return "body " + part.path + " (" + part.declared_type + ")";
  return "part " + part.path + " (" + (part.declared_type.empty() ? part.detected_type : part.declared_type) + ")";
}

std::string label_ja(const PartReport& part) {
  if (!part.filename.empty()) return shown_name(part);
  if (part.role == "body") return "本文 " + part.path + " (" + part.declared_type + ")";
  return "パート " + part.path + " (" + (part.declared_type.empty() ? part.detected_type : part.declared_type) + ")";
}

// A plain text body that crossed unchanged in meaning is not news to the reader.
bool worth_listing(const PartReport& part) {
  return !(part.role == "body" && part.action == Action::kept);
}

void replace_all(std::string& text, std::string_view key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
}

}  // namespace

std::string render_notice(const std::string& template_text, const Report& report) {
  std::string parts_ja, parts_en;
  for (const PartReport& part : report.parts) {
    if (!worth_listing(part)) continue;
    parts_ja += "・" + label_ja(part) + ": " + std::string(action_ja(part.action)) +
                (part.reason.empty() ? "" : "（" + part.reason + "）") + "\n";
    parts_en += "- " + label_of(part) + ": " + std::string(to_string(part.action)) +
                (part.reason.empty() ? "" : " (" + part.reason + ")") + "\n";
  }
  if (parts_ja.empty()) parts_ja = "・なし\n";
  if (parts_en.empty()) parts_en = "- none\n";
  parts_ja.pop_back();
  parts_en.pop_back();
  std::string notice = template_text;
  replace_all(notice, "{{parts_ja}}", parts_ja);
  replace_all(notice, "{{parts_en}}", parts_en);
  replace_all(notice, "{{quarantine_id}}", report.quarantine_id);
  replace_all(notice, "{{profile}}", report.profile);
  return notice;
}

}  // namespace mugai::core
