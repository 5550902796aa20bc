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

// Members of an archive are listed under it when something happened to them (removed, held,
// changed); members that crossed unchanged are not news.
void list_members(const PartReport& part, const std::string& indent, std::string& parts_ja, std::string& parts_en) {
  for (const PartReport& member : part.members) {
    const std::string name = member.output_filename.empty() ? clean_filename(member.filename, 120).name
                                                            : member.output_filename;
    if (member.action != Action::kept || !member.members.empty()) {
      parts_ja += indent + "・" + name + ": " + std::string(action_ja(member.action)) +
                  (member.reason.empty() ? "" : "（" + member.reason + "）") + "\n";
      parts_en += indent + "- " + name + ": " + std::string(to_string(member.action)) +
                  (member.reason.empty() ? "" : " (" + member.reason + ")") + "\n";
    }
    list_members(member, indent + "  ", parts_ja, parts_en);
  }
}

bool has_finding(const PartReport& part, std::string_view code) {
  for (const Finding& finding : part.findings)
    if (finding.code == code) return true;
  return false;
}

// What was held, anywhere in the tree: encrypted archives get the PPAP explanation.
void scan_held(const std::vector<PartReport>& parts, bool& held, bool& encrypted) {
  for (const PartReport& part : parts) {
    if (part.action == Action::held) {
      held = true;
      if (has_finding(part, "archive.encrypted")) encrypted = true;
    }
    scan_held(part.members, held, encrypted);
  }
}

// A placeholder with nothing to say takes its line with it.
void replace_line_or_drop(std::string& text, std::string_view key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    if (!value.empty()) {
      text.replace(at, key.size(), value);
      at += value.size();
      continue;
    }
    const std::size_t line_start = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
    std::size_t line_end = text.find('\n', at);
    line_end = line_end == std::string::npos ? text.size() : line_end + 1;
    const std::string_view line(text.data() + line_start, line_end - line_start);
    const bool alone = line.find_first_not_of(" \t\r\n", 0) == at - line_start &&
                       line.find_first_not_of(" \t\r\n", at - line_start + key.size()) == std::string_view::npos;
    if (alone) {
      text.erase(line_start, line_end - line_start);
      at = line_start;
    } else {
      text.erase(at, key.size());
    }
  }
}

void replace_all(std::string& text, std::string_view key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
}

}  // namespace

std::string render_notice(const std::string& template_text, const Report& report,
                          const std::string& release_base_url) {
  std::string parts_ja, parts_en;
  for (const PartReport& part : report.parts) {
    if (!worth_listing(part)) continue;
    parts_ja += "・" + label_ja(part) + ": " + std::string(action_ja(part.action)) +
                (part.reason.empty() ? "" : "（" + part.reason + "）") + "\n";
    parts_en += "- " + label_of(part) + ": " + std::string(to_string(part.action)) +
                (part.reason.empty() ? "" : " (" + part.reason + ")") + "\n";
    list_members(part, "  ", parts_ja, parts_en);
  }
  bool held = false;
  bool encrypted = false;
  scan_held(report.parts, held, encrypted);
  std::string held_ja, held_en;
  if (encrypted && !release_base_url.empty()) {
    // The release page (issue 9) takes the password; nobody else needs to know it.
    held_ja = "パスワード付き（暗号化された）圧縮ファイルは中身を検査できないため、お届けしていません。"
              "必要な場合は、下のリンク先で取り出しを依頼し、パスワードを入力してください。"
              "中のファイルを無害化してからお届けします（パスワードをメールで転送しないでください）。";
    held_en = "Password-protected (encrypted) archives cannot be inspected and were not delivered. "
              "If you need one, request it on the page linked below and enter the password there: "
              "every file in it is sanitised and the result is delivered to you (do not forward the "
              "password by mail).";
  } else if (encrypted) {
    held_ja = "パスワード付き（暗号化された）圧縮ファイルは中身を検査できないため、お届けしていません。"
              "必要な場合は、この隔離IDとパスワードをシステム管理者に伝えて取り出しを依頼してください。"
              "管理者がパスワードで開き、中のファイルを無害化してからお届けします"
              "（パスワードをメールで転送しないでください）。";
    held_en = "Password-protected (encrypted) archives cannot be inspected and were not delivered. "
              "If you need one, give your administrator this quarantine ID and the password: the "
              "archive is opened, every file in it is sanitised, and the result is delivered to you "
              "(do not forward the password by mail).";
  } else if (held) {
    held_ja = "保留（隔離）された添付ファイルは、システム管理者の確認後にのみお届けできます。";
    held_en = "Held attachments can only be delivered after your administrator has reviewed them.";
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
  replace_line_or_drop(notice, "{{held_ja}}", held_ja);
  replace_line_or_drop(notice, "{{held_en}}", held_en);
  // The release page (issue 9): what was held and why, and where to ask for it.
  std::string link_ja, link_en;
  if (!release_base_url.empty() && !report.quarantine_id.empty()) {
    const std::string url = release_base_url + "/#/release/" + report.quarantine_id;
    link_ja = "原本の確認・取り出しの依頼（パスワード付き圧縮ファイルのパスワード入力を含む）: " + url;
    link_en = "See what was held and request it (or enter the password of a protected archive): " + url;
  }
  replace_line_or_drop(notice, "{{release_link_ja}}", link_ja);
  replace_line_or_drop(notice, "{{release_link_en}}", link_en);
  return notice;
}

}  // namespace mugai::core
