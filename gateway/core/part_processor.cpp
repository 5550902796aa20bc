#include "part_processor.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "japanese_formats.h"
#include "mugai/core/digest.h"
#include "mugai/core/file_type.h"
#include "mugai/core/filename.h"
#include "mugai/registry.h"

namespace mugai::core {
namespace {

// Higher = more dangerous. The name can make a part stricter, never looser.
int severity(TypeClass cls) {
  switch (cls) {
    case TypeClass::executable: return 4;
    case TypeClass::script: return 3;
    case TypeClass::svg: return 2;
    case TypeClass::disk_image: return 1;
    default: return 0;
  }
}

TypeClass class_implied_by_extension(std::string_view extension) {
  static const std::vector<std::pair<std::string_view, TypeClass>> kTable{
      {"pdf", TypeClass::pdf},     {"jpg", TypeClass::image},  {"jpeg", TypeClass::image},
      {"png", TypeClass::image},   {"gif", TypeClass::image},  {"docx", TypeClass::ooxml},
      {"xlsx", TypeClass::ooxml},  {"pptx", TypeClass::ooxml}, {"docm", TypeClass::ooxml},
      {"xlsm", TypeClass::ooxml},  {"doc", TypeClass::ole2},   {"xls", TypeClass::ole2},
      {"ppt", TypeClass::ole2},    {"zip", TypeClass::archive}, {"txt", TypeClass::text},
      {"csv", TypeClass::text},    {"htm", TypeClass::html},   {"html", TypeClass::html}};
  for (const auto& [ext, cls] : kTable)
    if (ext == extension) return cls;
  return TypeClass::unknown;
}

bool is_known(TypeClass cls) { return cls != TypeClass::unknown && cls != TypeClass::other; }

// The class the profile decides on: the true type, made stricter by the name, with one
// concession to mail bodies (inline text/plain and text/html are read as text whatever libmagic
// guesses for a fragment, because they are converted to plain text anyway).
TypeClass decision_class(const LeafInput& input, const FileType& detected, TypeClass name_class) {
  TypeClass cls = detected.cls;
  if (severity(name_class) > severity(cls)) cls = name_class;
  if (severity(cls) >= 4) return cls;
  const TypeClass declared = classify_mime(input.declared_type);
  if (input.is_body && (declared == TypeClass::text || declared == TypeClass::html))
    return (declared == TypeClass::html || detected.cls == TypeClass::html) ? TypeClass::html
                                                                           : TypeClass::text;
  // Declared HTML is converted even when libmagic saw only text: markup must not cross.
  if (declared == TypeClass::html && cls == TypeClass::text) return TypeClass::html;
  return cls;
}

const Rule* matching_rule(const Profile& profile, TypeClass cls, std::string_view name,
                          std::uint64_t size) {
  for (const Rule& rule : profile.rules) {
    if (!rule.classes.empty() &&
        std::find(rule.classes.begin(), rule.classes.end(), cls) == rule.classes.end())
      continue;
    if (!rule.name_pattern.empty() &&
        fnmatch(rule.name_pattern.c_str(), std::string(name).c_str(), FNM_CASEFOLD) != 0)
      continue;
    if (rule.max_bytes && size > *rule.max_bytes) continue;
    return &rule;
  }
  return nullptr;
}

bool is_pipeline_action(std::string_view action) {
  return action == "remove" || action == "reject-message" || action == "hold";
}

void finish_removed(LeafResult& result, Action action, std::string module, std::string reason) {
  result.report.action = action;
  result.report.module = std::move(module);
  result.report.reason = std::move(reason);
  result.report.output_filename.clear();
  result.delivered.reset();
}

// Every format libmagic calls executable (PE, ELF, Mach-O, Java class, .lnk, MSI, JAR) has NUL
// or other control bytes in its first bytes. An inline text body without any is therefore never
// an executable, and bodies are read as text or HTML whatever else libmagic would guess, so
// libmagic's regex set (about 80% of the cost of a small mail, bench/README.md) is skipped.
bool plainly_text_body(const LeafInput& input) {
  if (!input.is_body || (input.declared_type != "text/plain" && input.declared_type != "text/html"))
    return false;
  const std::string_view bytes = input.bytes;
  const bool binary = std::any_of(bytes.begin(), bytes.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f' && byte != 0x1B;
  });
  if (binary) return false;
  // Markup inside a text/plain body is converted like HTML (libmagic decides), so anything that
  // may be a tag takes the full path.
  // ISO-2022-JP double-byte runs (ESC $ ... ESC ( ) use '<' as an ordinary byte: skip them.
  bool double_byte = false;
  for (std::size_t at = 0; at + 1 < bytes.size(); ++at) {
    if (bytes[at] == 0x1B) {
      if (bytes[at + 1] == '$') double_byte = true;
      else if (bytes[at + 1] == '(') double_byte = false;
      continue;
    }
    if (double_byte || bytes[at] != '<') continue;
    const char next = bytes[at + 1];
    if (std::isalpha(static_cast<unsigned char>(next)) || next == '!' || next == '/' || next == '?') return false;
  }
  return true;
}

FileType identify_leaf(const LeafInput& input) {
  if (!plainly_text_body(input)) return identify(input.bytes);
  FileType type;
  type.mime = input.declared_type;
  type.cls = input.declared_type == "text/html" ? TypeClass::html : TypeClass::text;
  type.description = "text body without binary bytes";
  return type;
}

// Counters every layer shares flow back from a nested layer's context to its parent's.
void absorb(Context& into, const Context& from) {
  into.expanded_bytes = from.expanded_bytes;
  into.archive_entries = from.archive_entries;
  if (into.tempfail_reason.empty()) into.tempfail_reason = from.tempfail_reason;
}

PartReport member_report(const std::string& path, const Extracted& member, Action action,
                         std::string module, std::string reason, std::vector<Finding> findings) {
  PartReport part;
  part.path = path;
  part.role = "member";
  part.filename = member.filename;
  part.action = action;
  part.module = std::move(module);
  part.reason = std::move(reason);
  part.size_before = member.bytes.size();
  if (!member.bytes.empty()) part.sha256_before = sha256_hex(member.bytes);
  part.findings = std::move(findings);
  return part;
}

// Each directory of a member path is cleaned like a file name (bidi, controls, reserved
// characters); the module has already dropped "..", "." and absolute prefixes.
struct MemberPath {
  std::string directory;  // "" or "a/b/" (cleaned)
  std::string name;       // last segment, raw (process_leaf cleans it)
};

MemberPath split_member_path(std::string_view path, std::uint32_t max_chars, std::vector<Finding>& findings) {
  MemberPath out;
  std::size_t start = 0;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', start)) {
    const std::string_view segment = path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) continue;
    CleanName clean = clean_filename(segment, max_chars);
    findings.insert(findings.end(), clean.findings.begin(), clean.findings.end());
    out.directory += clean.name + "/";
  }
  out.name = std::string(path.substr(start));
  return out;
}

// One archive member through the whole pipeline: the recursion path behind Context::recurse.
class MemberRecursion {
 public:
  MemberRecursion(const Profile& profile, Context& context, const std::string& parent_path,
                  const std::string& parent_sha256, std::string module)
      : profile_(profile), context_(context), parent_path_(parent_path), module_(std::move(module)) {
    context_.enclosing_sha256.push_back(parent_sha256);
  }

  MemberVerdict process(const Extracted& member) {
    const std::string path = next_path();
    const Limits& limits = context_.limits;
    if (context_.expired())
      return refuse(path, member, "removed: the time limit for this message ran out",
                    {"limit.max-seconds", "deadline passed inside an archive"});
    if (context_.archive_depth + 1 > limits.max_archive_depth)
      return refuse(path, member,
                    "removed: archive nesting depth " + std::to_string(context_.archive_depth + 1) + " > " +
                        std::to_string(limits.max_archive_depth),
                    {"limit.max-archive-depth", "member of an archive nested " +
                                                    std::to_string(context_.archive_depth + 1) + " levels deep"});
    const std::string digest = sha256_hex(member.bytes);
    for (const std::string& enclosing : context_.enclosing_sha256)
      if (enclosing == digest)
        return refuse(path, member, "removed: the member is a copy of an archive that contains it (quine)",
                      {"archive.loop", "member has the SHA-256 of an enclosing archive"});

    std::vector<Finding> path_findings;
    const MemberPath split = split_member_path(member.filename, limits.max_filename_chars, path_findings);
    LeafInput input{path, member.bytes, member.declared_type, "", split.name, false};
    Context nested = context_;
    nested.recurse = nullptr;
    nested.record = nullptr;
    ++nested.archive_depth;
    LeafResult result = process_leaf(input, profile_, nested);
    absorb(context_, nested);

    PartReport& report = result.report;
    report.role = "member";
    report.filename = member.filename;
    report.findings.insert(report.findings.begin(), path_findings.begin(), path_findings.end());
    if (!result.extracted.empty())
      report.findings.push_back({"member.embedded-content", std::to_string(result.extracted.size()) +
                                                                " embedded block(s) removed from the member"});
    MemberVerdict verdict;
    verdict.action = report.action;
    verdict.reason = report.reason;
    verdict.rejects_message = result.rejects_message;
    if (!result.delivered)
      for (const Finding& finding : report.findings)
        if (finding.code.starts_with("limit.max-") || finding.code == "archive.loop") {
          verdict.breach = Finding{finding.code, report.reason};
          break;
        }
    if (result.delivered) {
      verdict.bytes = std::move(result.delivered->bytes);
      verdict.content_type = std::move(result.delivered->content_type);
      verdict.filename = split.directory + result.delivered->filename;
      report.output_filename = verdict.filename;
    }
    members_.push_back(std::move(report));
    return verdict;
  }

  void record(const Extracted& member, Action action, std::string reason, std::vector<Finding> findings) {
    members_.push_back(member_report(next_path(), member, action, module_, std::move(reason), std::move(findings)));
  }

  std::vector<PartReport> take_members() {
    context_.enclosing_sha256.pop_back();
    return std::move(members_);
  }

 private:
  std::string next_path() { return parent_path_ + "/" + std::to_string(++index_); }

  MemberVerdict refuse(const std::string& path, const Extracted& member, std::string reason, Finding finding) {
    MemberVerdict verdict;
    verdict.reason = reason;
    if (finding.code.starts_with("limit.max-") || finding.code == "archive.loop")
      verdict.breach = Finding{finding.code, reason};
    members_.push_back(member_report(path, member, Action::removed, "pipeline", std::move(reason), {std::move(finding)}));
    return verdict;
  }

  const Profile& profile_;
  Context& context_;
  const std::string& parent_path_;
  std::string module_;
  std::vector<PartReport> members_;
  int index_ = 0;
};

// Malware scan of one leaf (any level) when the profile asks for it. True: the leaf is done.
bool scanned_out(const LeafInput& input, Context& context, LeafResult& result) {
  if (!context.scan) return false;
  const ScanVerdict verdict = context.scan(input.bytes);
  switch (verdict.status) {
    case ScanVerdict::Status::clean: return false;
    case ScanVerdict::Status::infected:
      result.report.findings.push_back({"malware.found", verdict.signature});
      finish_removed(result, Action::removed, "malware-scan", "malware found: " + verdict.signature);
      return true;
    case ScanVerdict::Status::unavailable:
      result.report.findings.push_back({"malware.scan-unavailable", verdict.detail});
      if (context.tempfail_reason.empty()) context.tempfail_reason = "malware scan not possible: " + verdict.detail;
      finish_removed(result, Action::removed, "malware-scan", "malware scan could not be made: " + verdict.detail);
      return true;
  }
  return true;
}

}  // namespace

LeafResult process_leaf(const LeafInput& input, const Profile& profile, Context& context) {
  LeafResult result;
  PartReport& report = result.report;
  report.path = input.path;
  report.declared_type = input.declared_type;
  report.filename = input.filename;
  report.size_before = input.bytes.size();
  report.sha256_before = sha256_hex(input.bytes);

  // Identify.
  const FileType detected = identify_leaf(input);
  report.detected_type = detected.mime;
  if (std::optional<Finding> format = japanese_format_finding(detected)) report.findings.push_back(*format);
  CleanName clean;
  TypeClass name_class = TypeClass::unknown;
  if (!input.filename.empty()) {
    clean = clean_filename(input.filename, context.limits.max_filename_chars);
    report.findings.insert(report.findings.end(), clean.findings.begin(), clean.findings.end());
    name_class = class_implied_by_name(clean.name, report.findings);
    const TypeClass ext_class = class_implied_by_extension(extension_of(clean.name));
    if (is_known(ext_class) && is_known(detected.cls) && ext_class != detected.cls &&
        !(ext_class == TypeClass::html && detected.cls == TypeClass::text))
      report.findings.push_back({"type-mismatch", "name says ." + extension_of(clean.name) +
                                                      " but content is " + detected.mime});
  }
  const TypeClass declared_class = classify_mime(input.declared_type);
  if (is_known(declared_class) && is_known(detected.cls) && declared_class != detected.cls &&
      severity(detected.cls) > severity(declared_class) && !input.is_body)
    report.findings.push_back({"type-mismatch", "declared " + input.declared_type +
                                                    " but content is " + detected.mime});
  const TypeClass cls = decision_class(input, detected, name_class);
  report.detected_class = std::string(to_string(cls));
  if (scanned_out(input, context, result)) return result;

  // Decide.
  const Rule* rule = matching_rule(profile, cls, clean.name, input.bytes.size());
  if (!rule) {
    finish_removed(result, Action::removed, "pipeline",
                   "default deny: no rule of profile " + profile.name + " allows " +
                       std::string(to_string(cls)) + " content");
    return result;
  }
  report.rule_line = rule->line;
  std::string action = rule->action;
  // Executables and scripts never cross, whatever a catch-all rule says; SVG only as pixels.
  const auto svg_option = rule->options.find("svg");
  const bool svg_as_pixels = cls == TypeClass::svg && action == "re-encode" && svg_option != rule->options.end() &&
                             svg_option->second == "rasterize";
  if (severity(cls) >= 2 && !is_pipeline_action(action) && !svg_as_pixels) {
    report.findings.push_back({"policy.executable", std::string(to_string(cls)) +
                                                        " content never crosses; rule action '" +
                                                        action + "' overridden"});
    action = "remove";
  }
  if (action == "remove") {
    finish_removed(result, Action::removed, "pipeline",
                   std::string(to_string(cls)) + " removed by profile " + profile.name);
    return result;
  }
  if (action == "hold") {
    finish_removed(result, Action::held, "pipeline",
                   std::string(to_string(cls)) + " held in quarantine by profile " + profile.name);
    return result;
  }
  if (action == "reject-message") {
    finish_removed(result, Action::rejected, "pipeline",
                   std::string(to_string(cls)) + " content is not accepted by profile " +
                       profile.name + (detected.description.empty() ? "" : " (" + detected.description + ")"));
    result.rejects_message = true;
    return result;
  }

  // Act.
  FileType decided = detected;
  decided.cls = cls;
  const Sanitizer* module =
      rule->module.empty() ? sanitizers::module_for(decided, action) : sanitizers::find_module(rule->module);
  if (!module || !module->handles(decided) || !module->supports(action)) {
    finish_removed(result, Action::removed, "pipeline",
                   "no module can " + action + " " + std::string(to_string(cls)) + " content");
    return result;
  }
  Part part{input.bytes, input.declared_type, input.declared_charset, clean.name, decided};
  Outcome outcome;
  // Members go back through the pipeline on a copy of the context that knows this part as their
  // parent; shared counters flow back afterwards (absorb). No hook is ever replaced while running.
  Context module_context = context;
  MemberRecursion recursion(profile, module_context, report.path, report.sha256_before, std::string(module->name()));
  module_context.recurse = [&recursion](const Extracted& member) { return recursion.process(member); };
  module_context.record = [&recursion](const Extracted& member, Action member_action, std::string reason,
                                       std::vector<Finding> findings) {
    recursion.record(member, member_action, std::move(reason), std::move(findings));
  };
  try {
    outcome = module->run(part, action, rule->options, module_context);
  } catch (const std::exception& error) {
    // Modules must not throw; if one does, fail closed.
    outcome = Outcome{};
    outcome.reason = std::string("module error: ") + error.what();
  } catch (...) {
    outcome = Outcome{};
    outcome.reason = "module error";
  }
  absorb(context, module_context);
  report.members = recursion.take_members();
  report.module = std::string(module->name());
  report.findings.insert(report.findings.end(), outcome.findings.begin(), outcome.findings.end());
  result.extracted = std::move(outcome.extracted);
  if (outcome.action != Action::kept && outcome.action != Action::converted &&
      outcome.action != Action::sanitized) {
    // A module may hold (encrypted archive) or refuse the message; anything else is a removal.
    const Action final_action = outcome.action == Action::held ? Action::held
                                : outcome.rejects_message      ? Action::rejected
                                                               : Action::removed;
    finish_removed(result, final_action, report.module, outcome.reason);
    result.rejects_message = outcome.rejects_message;
    return result;
  }
  report.action = outcome.action;
  report.reason = outcome.reason;
  report.size_after = outcome.bytes.size();
  report.sha256_after = sha256_hex(outcome.bytes);
  DeliveredContent delivered;
  delivered.content_type = outcome.content_type.empty() ? detected.mime : outcome.content_type;
  delivered.charset = outcome.charset;
  delivered.filename = outcome.filename.empty() ? clean.name : outcome.filename;
  delivered.bytes = std::move(outcome.bytes);
  report.output_filename = delivered.filename;
  result.delivered = std::move(delivered);
  return result;
}

}  // namespace mugai::core
