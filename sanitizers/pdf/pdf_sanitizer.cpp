#include "pdf/pdf_sanitizer.h"

#include <exception>

#include "pdf/flatten.h"
#include "pdf/pdf_options.h"
#include "pdf/strip_active.h"

namespace mugai::sanitizers::pdf {
namespace {

Outcome removed(std::string reason, std::vector<Finding> findings) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

// "報告書" stays, "scan.PDF" stays: a PDF keeps its name (flatten and strip-active both give a PDF).
Outcome outcome_of(PdfResult result, Action success) {
  Outcome out;
  out.action = result.action == Action::sanitized ? success : result.action;
  out.reason = std::move(result.reason);
  out.findings = std::move(result.findings);
  if (result.action == Action::sanitized) {
    out.bytes = std::move(result.bytes);
    out.content_type = "application/pdf";
  }
  return out;
}

}  // namespace

bool PdfSanitizer::handles(const FileType& type) const { return type.cls == TypeClass::pdf; }

bool PdfSanitizer::supports(std::string_view action) const { return action == "strip-active" || action == "flatten"; }

Outcome PdfSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                          Context& context) const {
  try {
    if (!supports(action)) return removed("pdf module cannot '" + std::string(action) + "'; part removed", {});
    std::string problem;
    const std::optional<PdfOptions> parsed = parse_options(options, problem);
    if (!parsed) return removed("PDF removed: bad rule options", {{"module.options", problem}});
    if (context.expired())
      return removed("PDF removed: the time limit for this message ran out",
                     {{"limit.max-seconds", "deadline passed before sanitising"}});
    if (action == "flatten") return outcome_of(flatten(in.bytes, *parsed, context), Action::converted);
    PdfResult result = strip_active(in.bytes, *parsed, context);
    // mugai's own output (or any PDF already in that form) comes back byte for byte: kept, so
    // sanitising twice changes nothing.
    if (result.action == Action::sanitized && result.findings.empty() && result.bytes == in.bytes) {
      Outcome kept;
      kept.action = Action::kept;
      kept.reason = "PDF already clean: one revision, no active content";
      return kept;
    }
    return outcome_of(std::move(result), Action::sanitized);
  } catch (const std::bad_alloc&) {
    return removed("PDF removed: out of memory while sanitising", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("PDF removed: sanitiser error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("PDF removed: sanitiser error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::pdf
