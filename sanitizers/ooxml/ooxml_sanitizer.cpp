#include "ooxml/ooxml_sanitizer.h"

#include <charconv>
#include <exception>
#include <optional>

#include "libreoffice/pdf_finish.h"
#include "libreoffice/soffice_runner.h"
#include "ooxml/office_types.h"
#include "ooxml/strip_active.h"
#include "text/module_options.h"

namespace mugai::sanitizers::ooxml {
namespace {

Outcome removed(std::string reason, std::vector<Finding> findings) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

// A positive number option, or `fallback` (bad values fall back: the config check refuses them).
std::uint64_t number_option(const ModuleOptions& options, std::string_view key, std::uint64_t fallback) {
  const auto found = options.find(key);
  if (found == options.end()) return fallback;
  std::uint64_t value = 0;
  const std::string& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) return fallback;
  return value;
}

StripOptions strip_options(const ModuleOptions& options) {
  StripOptions out;
  out.keep_links = text::option_enabled(options, "keep_links");
  out.max_members = number_option(options, "max_members", out.max_members);
  out.max_xml_bytes = number_option(options, "max_xml_bytes", out.max_xml_bytes);
  return out;
}

Outcome strip(const Part& in, const ModuleOptions& options, Context& context) {
  StripResult result = strip_active(in.bytes, strip_options(options), context);
  if (!result.ok) return removed(std::move(result.reason), std::move(result.findings));
  Outcome out;
  out.action = Action::sanitized;
  out.bytes = std::move(result.bytes);
  out.content_type = std::move(result.mime);
  out.filename = with_extension(in.filename, result.extension);
  if (out.filename == in.filename) out.filename.clear();
  out.reason = std::move(result.reason);
  out.findings = std::move(result.findings);
  return out;
}

Outcome flatten(const Part& in, const ModuleOptions& options, Context& context) {
  if (std::optional<Outcome> missing = libreoffice::without_pdf_module("Office document"))
    return std::move(*missing);
  StripResult stripped = strip_active(in.bytes, strip_options(options), context);
  if (!stripped.ok) return removed(std::move(stripped.reason), std::move(stripped.findings));
  libreoffice::Conversion request;
  request.input = stripped.bytes;
  request.input_extension = stripped.extension;
  request.target = "pdf";
  request.output_extension = "pdf";
  request.deadline = context.deadline;
  request.max_output_bytes = context.limits.max_decoded_bytes;
  if (const auto soffice = options.find("soffice"); soffice != options.end())
    request.soffice = soffice->second;
  const libreoffice::ConversionResult pdf = libreoffice::convert(request);
  if (pdf.status != libreoffice::ConversionStatus::ok) {
    Outcome out = libreoffice::conversion_failed(pdf, "Office document");
    out.findings.insert(out.findings.begin(), stripped.findings.begin(), stripped.findings.end());
    return out;
  }
  const std::string name = in.filename.empty() ? "" : with_extension(in.filename, "pdf");
  Outcome out = libreoffice::finish_as_pdf(pdf.bytes, "Office document", name, context);
  out.findings.insert(out.findings.begin(), stripped.findings.begin(), stripped.findings.end());
  return out;
}

}  // namespace

bool OoxmlSanitizer::handles(const FileType& type) const { return type.cls == TypeClass::ooxml; }

bool OoxmlSanitizer::supports(std::string_view action) const {
  return action == "strip-active" || action == "flatten";
}

Outcome OoxmlSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                            Context& context) const {
  try {
    if (context.expired())
      return removed("Office document removed: the time limit for this message ran out",
                     {{"limit.max-seconds", "deadline passed before sanitising"}});
    if (action == "strip-active") return strip(in, options, context);
    if (action == "flatten") return flatten(in, options, context);
    return removed("ooxml module cannot '" + std::string(action) + "'; part removed", {});
  } catch (const std::bad_alloc&) {
    return removed("Office document removed: out of memory while sanitising",
                   {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("Office document removed: sanitiser error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("Office document removed: sanitiser error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::ooxml
