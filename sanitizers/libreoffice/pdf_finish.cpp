#include "libreoffice/pdf_finish.h"

#include "libreoffice/soffice_runner.h"
#include "mugai/registry.h"

namespace mugai::sanitizers::libreoffice {

std::optional<Outcome> without_pdf_module(std::string_view what) {
  if (find_module("pdf")) return std::nullopt;
  Outcome out;
  out.reason = std::string(what) +
               " removed: flatten needs the pdf module to sanitise the PDF, and it is not built in";
  out.findings.push_back({"module.missing", "pdf module not registered"});
  return out;
}

Outcome finish_as_pdf(std::string pdf, std::string_view what, std::string pdf_name, Context& context) {
  if (std::optional<Outcome> missing = without_pdf_module(what)) return std::move(*missing);
  Outcome out;
  const Sanitizer* pdf_module = find_module("pdf");
  Part part;
  part.bytes = pdf;
  part.declared_type = "application/pdf";
  part.filename = pdf_name;
  part.detected.mime = "application/pdf";
  part.detected.cls = TypeClass::pdf;
  Outcome stripped = pdf_module->run(part, "strip-active", {}, context);
  if (stripped.action != Action::sanitized && stripped.action != Action::kept) {
    out.reason = std::string(what) + " removed: its PDF rendering was refused by the pdf module (" +
                 stripped.reason + ")";
    out.findings = std::move(stripped.findings);
    return out;
  }
  out.action = Action::converted;
  out.bytes =
      stripped.bytes.empty() && stripped.action == Action::kept ? std::move(pdf) : std::move(stripped.bytes);
  out.content_type = "application/pdf";
  out.filename = std::move(pdf_name);
  out.findings = std::move(stripped.findings);
  out.reason =
      std::string(what) + " flattened to PDF by LibreOffice; PDF sanitised (" + stripped.reason + ")";
  return out;
}

Outcome conversion_failed(const ConversionResult& result, std::string_view what) {
  Outcome out;
  switch (result.status) {
    case ConversionStatus::timed_out:
      out.reason = std::string(what) + " removed: LibreOffice did not finish within the time limit";
      out.findings.push_back({"limit.max-seconds", result.detail});
      break;
    case ConversionStatus::too_large:
      out.reason = std::string(what) + " removed: the converted document is too large";
      out.findings.push_back({"libreoffice.output-too-large", result.detail});
      break;
    case ConversionStatus::unavailable:
      out.reason = std::string(what) + " removed: LibreOffice is not installed on this gateway";
      out.findings.push_back({"libreoffice.unavailable", result.detail});
      break;
    case ConversionStatus::ok:
    case ConversionStatus::failed:
      out.reason = std::string(what) + " removed: LibreOffice could not convert it";
      out.findings.push_back({"libreoffice.failed", result.detail});
      break;
  }
  return out;
}

}  // namespace mugai::sanitizers::libreoffice
