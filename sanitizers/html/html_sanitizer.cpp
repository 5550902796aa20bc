#include "html/html_sanitizer.h"

#include <algorithm>
#include <exception>

#include "html/html_charset.h"
#include "html/markup_guard.h"
#include "html/sax_parser.h"
#include "html/text_renderer.h"
#include "mugai/charset/charset.h"
#include "text/charset_names.h"
#include "text/module_options.h"
#include "text/text_cleaner.h"

namespace mugai::sanitizers::html {
namespace {

constexpr std::size_t kOutputFactor = 4;
constexpr std::size_t kMinOutputBudget = 1 << 20;

Outcome removed(std::string reason, std::vector<Finding> findings = {}) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

void note_decoding(const LabelChoice& choice, const charset::Decoded& decoded, const std::string& name,
                   std::vector<Finding>& findings) {
  findings.insert(findings.end(), choice.findings.begin(), choice.findings.end());
  if (decoded.label_overridden)
    findings.push_back({"charset.unknown-label", "charset label '" + choice.label + "' (" + choice.source +
                                                     ") does not fit the bytes; read as " + name});
  if (decoded.invalid_sequences > 0)
    findings.push_back({"charset.invalid-sequences", std::to_string(decoded.invalid_sequences) +
                                                         " undecodable sequences in " + name + " replaced by U+FFFD"});
}

Outcome stopped(ParseStop stop, std::vector<Finding> findings) {
  switch (stop) {
    case ParseStop::depth:
      findings.push_back({"limit.html-depth", "elements nested deeper than " + std::to_string(kMaxElementDepth)});
      return removed("HTML part removed: markup nested deeper than " + std::to_string(kMaxElementDepth) + " levels",
                     std::move(findings));
    case ParseStop::deadline:
      findings.push_back({"limit.max-seconds", "deadline passed while converting HTML"});
      return removed("HTML part removed: the time limit for this message ran out", std::move(findings));
    case ParseStop::budget:
      findings.push_back({"limit.html-output", "text output grew beyond " + std::to_string(kOutputFactor) +
                                                   " times the input"});
      return removed("HTML part removed: its text would be far larger than the markup", std::move(findings));
    case ParseStop::failed:
    case ParseStop::none:
      break;
  }
  return removed("HTML part removed: the HTML parser could not start", std::move(findings));
}

Outcome convert(const Part& in, const ModuleOptions& options, const Context& context) {
  if (context.expired())
    return removed("HTML part removed: the time limit for this message ran out",
                   {{"limit.max-seconds", "deadline passed before converting HTML"}});
  const LabelChoice choice = choose_label(in.bytes, in.declared_charset);
  const charset::Decoded decoded = charset::to_utf8(in.bytes, choice.label);
  const std::string charset_name = text::charset_display_name(decoded.converter);
  std::vector<Finding> findings;
  note_decoding(choice, decoded, charset_name, findings);

  const GuardedMarkup guarded = guard_markup(decoded.utf8);
  if (guarded.tags_cut > 0)
    findings.push_back({"limit.html-attributes", std::to_string(guarded.tags_cut) + " tags had more than " +
                                                     std::to_string(kMaxAttributesPerTag) +
                                                     " attributes; the rest were dropped"});

  TextRenderer renderer(std::max(kMinOutputBudget, kOutputFactor * in.bytes.size()));
  const ParseStop stop = parse_html(guarded.markup, renderer, context);
  const std::vector<Finding> active = renderer.tally().findings();
  findings.insert(findings.end(), active.begin(), active.end());
  if (stop != ParseStop::none) return stopped(stop, std::move(findings));

  std::string rendered = renderer.finish();
  text::CleanOptions clean_options;
  clean_options.defang_urls = text::option_enabled(options, "defang_urls");
  text::CleanResult clean = text::clean_text(std::move(rendered), clean_options, context);
  if (clean.expired) return stopped(ParseStop::deadline, std::move(findings));
  const std::size_t controls = guarded.controls_removed + renderer.controls_dropped() + clean.controls_removed;
  if (controls > 0)
    findings.push_back({"text.control-characters", std::to_string(controls) + " control characters removed"});
  for (Finding& finding : clean.findings)
    if (finding.code != "text.control-characters") findings.push_back(std::move(finding));

  Outcome out;
  out.action = Action::converted;
  out.content_type = "text/plain";
  out.charset = "utf-8";
  out.bytes = std::move(clean.text);
  out.findings = std::move(findings);
  out.extracted = std::move(clean.extracted);
  out.reason = "HTML converted to plain text";
  if (!text::is_utf8_compatible(decoded.converter)) out.reason += " (from " + charset_name + ")";
  // Removing active content is what to-text means; the reason names only what goes beyond it.
  if (!out.extracted.empty())
    out.reason += "; " + std::to_string(out.extracted.size()) + " uuencoded " +
                  (out.extracted.size() == 1 ? "file" : "files") + " extracted";
  for (const Finding& finding : out.findings)
    if (finding.code == "text.url-defanged") out.reason += "; " + finding.detail;
  return out;
}

}  // namespace

bool HtmlSanitizer::handles(const FileType& type) const { return type.cls == TypeClass::html; }

bool HtmlSanitizer::supports(std::string_view action) const { return action == "to-text"; }

Outcome HtmlSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                           Context& context) const {
  try {
    if (!supports(action)) return removed("html module cannot '" + std::string(action) + "'; part removed");
    return convert(in, options, context);
  } catch (const std::bad_alloc&) {
    return removed("HTML part removed: out of memory while converting", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("HTML part removed: converter error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("HTML part removed: converter error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::html
