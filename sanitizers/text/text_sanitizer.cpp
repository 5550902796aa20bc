#include "text/text_sanitizer.h"

#include <exception>

#include "mugai/charset/charset.h"
#include "text/charset_names.h"
#include "text/module_options.h"
#include "text/text_cleaner.h"

namespace mugai::sanitizers::text {
namespace {

Outcome removed(std::string reason, std::vector<Finding> findings = {}) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

Outcome deadline_passed() {
  return removed("text part removed: the time limit for this message ran out",
                 {{"limit.max-seconds", "deadline passed while sanitising text"}});
}

// Findings about how the bytes were read; returns whether the text itself had to change.
bool note_decoding(const Part& in, const charset::Decoded& decoded, const std::string& charset_name,
                   std::vector<Finding>& findings, std::vector<std::string>& changes) {
  if (!in.declared_charset.empty() && !decoded.label_known)
    findings.push_back({"charset.unknown-label",
                        "unknown charset label '" + in.declared_charset + "'; read as " + charset_name});
  else if (decoded.label_overridden)
    findings.push_back({"charset.unknown-label", "charset label '" + in.declared_charset +
                                                     "' does not fit the bytes; read as " + charset_name});
  if (decoded.invalid_sequences == 0) return false;
  const std::string what = std::to_string(decoded.invalid_sequences) + " undecodable " +
                           (decoded.invalid_sequences == 1 ? "sequence" : "sequences") + " in " + charset_name +
                           " replaced by U+FFFD";
  findings.push_back({"charset.invalid-sequences", what});
  changes.push_back(what);
  return true;
}

Outcome sanitise(const Part& in, const ModuleOptions& options, const Context& context) {
  if (context.expired()) return deadline_passed();
  const charset::Decoded decoded = charset::to_utf8(in.bytes, in.declared_charset);
  const std::string charset_name = charset_display_name(decoded.converter);
  std::vector<Finding> findings;
  std::vector<std::string> changes;
  note_decoding(in, decoded, charset_name, findings, changes);

  CleanOptions clean_options;
  clean_options.defang_urls = option_enabled(options, "defang_urls");
  CleanResult clean = clean_text(decoded.utf8, clean_options, context);
  if (clean.expired) return deadline_passed();
  findings.insert(findings.end(), clean.findings.begin(), clean.findings.end());
  changes.insert(changes.end(), clean.changes.begin(), clean.changes.end());

  Outcome out;
  out.content_type = "text/plain";
  out.charset = "utf-8";
  out.bytes = std::move(clean.text);
  out.findings = std::move(findings);
  out.extracted = std::move(clean.extracted);
  const bool converted = !is_utf8_compatible(decoded.converter);
  out.action = changes.empty() ? Action::kept : Action::sanitized;
  if (converted)
    out.reason = charset_name + " text normalised to UTF-8";
  else if (changes.empty())
    out.reason = charset_name + " text kept unchanged";
  else
    out.reason = charset_name + " text sanitised";
  if (!changes.empty()) out.reason += "; " + join_changes(changes);
  return out;
}

}  // namespace

bool TextSanitizer::handles(const FileType& type) const { return type.cls == TypeClass::text; }

bool TextSanitizer::supports(std::string_view action) const { return action == "keep" || action == "to-text"; }

Outcome TextSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                           Context& context) const {
  try {
    if (!supports(action))
      return removed("text module cannot '" + std::string(action) + "'; part removed");
    return sanitise(in, options, context);
  } catch (const std::bad_alloc&) {
    return removed("text part removed: out of memory while sanitising", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("text part removed: sanitiser error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("text part removed: sanitiser error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::text
