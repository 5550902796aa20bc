#include "ole2/ole2_sanitizer.h"

#include <algorithm>
#include <exception>
#include <optional>

#include "libreoffice/pdf_finish.h"
#include "libreoffice/soffice_runner.h"
#include "ole2/compound_file.h"
#include "ole2/excel_macro_sheets.h"
#include "ole2/office_scan.h"
#include "ole2/word_dde.h"
#include "ooxml/office_types.h"
#include "ooxml/strip_active.h"

namespace mugai::sanitizers::ole2 {
namespace {

constexpr std::size_t kPathsInDetail = 8;

Outcome removed(std::string reason, std::vector<Finding> findings) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (std::size_t i = 0; i < paths.size() && i < kPathsInDetail; ++i) {
    // Stream names start with control characters (\x01Ole10Native); reports show them escaped.
    std::string shown;
    for (char c : paths[i]) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x20 && byte != 0x7F) {
        shown.push_back(c);
        continue;
      }
      constexpr char kHex[] = "0123456789abcdef";
      shown += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xF];
    }
    out += (i ? ", " : "") + shown;
  }
  if (paths.size() > kPathsInDetail) out += ", ...";
  return out;
}

std::vector<Finding> scan_findings(const Scan& scan) {
  std::vector<Finding> out;
  if (!scan.vba_paths.empty()) out.push_back({"ole2.vba", "VBA project: " + joined(scan.vba_paths)});
  if (!scan.object_paths.empty())
    out.push_back({"ole2.embedded-object", "embedded objects: " + joined(scan.object_paths)});
  if (scan.dde_fields > 0)
    out.push_back(
        {"ole2.dde", std::to_string(scan.dde_fields) + " DDE/DDEAUTO field(s) in the WordDocument stream"});
  if (scan.xlm_sheets > 0)
    out.push_back({"ole2.xlm-macros", std::to_string(scan.xlm_sheets) + " Excel 4.0 macro sheet(s), " +
                                          std::to_string(scan.xlm_very_hidden) + " very hidden"});
  return out;
}

TreeBounds bounds_for(std::string_view bytes, const Context& context) {
  TreeBounds bounds;
  const std::uint64_t by_ratio =
      static_cast<std::uint64_t>(context.limits.max_expand_ratio) * std::max<std::uint64_t>(bytes.size(), 1);
  bounds.max_total_bytes = std::min<std::uint64_t>(context.limits.max_decoded_bytes, by_ratio);
  return bounds;
}

std::string with_extension(const std::string& filename, std::string_view extension) {
  return ooxml::with_extension(filename, extension);
}

struct Inspected {
  Scan scan;
  std::optional<Outcome> refusal;
};

Inspected inspect(const Part& in, const Context& context) {
  Inspected result;
  const Tree tree = read_tree(in.bytes, bounds_for(in.bytes, context), context);
  if (tree.failure) {
    result.refusal = removed("compound file removed: " + tree.failure->detail, {*tree.failure});
    return result;
  }
  result.scan = scan_tree(tree.entries);
  if (result.scan.kind == OfficeKind::word) {
    const std::uint64_t bound = bounds_for(in.bytes, context).max_total_bytes;
    if (std::optional<std::string> stream = read_root_stream(in.bytes, "WordDocument", bound))
      result.scan.dde_fields = word_dde_fields(*stream);
  }
  if (result.scan.kind == OfficeKind::excel) {
    const std::uint64_t bound = bounds_for(in.bytes, context).max_total_bytes;
    std::optional<std::string> workbook = read_root_stream(in.bytes, "Workbook", bound);
    if (!workbook) workbook = read_root_stream(in.bytes, "Book", bound);
    if (workbook) {
      const MacroSheets sheets = excel_macro_sheets(*workbook);
      result.scan.xlm_sheets = sheets.count;
      result.scan.xlm_very_hidden = sheets.very_hidden;
    }
  }
  if (result.scan.encrypted) {
    result.refusal = removed("encrypted Office file removed: its content cannot be inspected",
                             {{"ole2.encrypted", "EncryptionInfo/EncryptedPackage streams"}});
  } else if (result.scan.kind == OfficeKind::none) {
    result.refusal =
        removed("compound file removed: it is not a Word, Excel or PowerPoint document (" +
                    (in.detected.description.empty() ? in.detected.mime : in.detected.description) + ")",
                {{"ole2.not-office", "no WordDocument, Workbook or PowerPoint Document stream"}});
  }
  return result;
}

std::optional<std::string> without_active(const Part& in, const Context& context, std::string& error) {
  return rewrite_without(in.bytes, is_active_entry, bounds_for(in.bytes, context), context, error);
}

Outcome strip(const Part& in, const Scan& scan, Context& context) {
  const std::string noun(kind_noun(scan.kind));
  std::vector<Finding> findings = scan_findings(scan);
  if (scan.kind == OfficeKind::powerpoint)
    return removed(
        "PowerPoint 97-2003 file removed: its macros live inside the presentation stream and cannot be "
        "cut out (profile can use convert)",
        {{"ole2.strip-unsupported", "ppt keeps VBA in the PowerPoint Document stream"}});
  if (scan.dde_fields > 0)
    return removed(noun +
                       " removed: its DDE fields live inside the WordDocument stream and cannot be cut out "
                       "(profile can use convert)",
                   std::move(findings));
  if (scan.xlm_sheets > 0)
    return removed(
        noun +
            " removed: its Excel 4.0 macro sheets live inside the Workbook stream and cannot be cut "
            "out (profile can use convert)",
        std::move(findings));
  std::string error;
  std::optional<std::string> bytes = without_active(in, context, error);
  if (!bytes) {
    findings.push_back({"ole2.rewrite-failed", error});
    return removed(noun + " removed: it could not be rewritten (" + error + ")", std::move(findings));
  }
  Outcome out;
  out.action = Action::sanitized;
  out.bytes = std::move(*bytes);
  out.content_type = scan.kind == OfficeKind::word ? "application/msword" : "application/vnd.ms-excel";
  out.findings = std::move(findings);
  if (scan.vba_paths.empty() && scan.object_paths.empty())
    out.reason = noun + " rewritten; no macros or embedded objects found";
  else
    out.reason = noun + " sanitised: removed" + std::string(scan.vba_paths.empty() ? "" : " macros (VBA)") +
                 (scan.vba_paths.empty() || scan.object_paths.empty() ? "" : " and") +
                 (scan.object_paths.empty() ? "" : " embedded objects");
  return out;
}

libreoffice::Conversion conversion_for(std::string_view bytes, const Scan& scan, const ModuleOptions& options,
                                       const Context& context) {
  libreoffice::Conversion request;
  request.input = bytes;
  request.input_extension = std::string(kind_extension(scan.kind));
  request.deadline = context.deadline;
  request.max_output_bytes = context.limits.max_decoded_bytes;
  if (const auto soffice = options.find("soffice"); soffice != options.end())
    request.soffice = soffice->second;
  return request;
}

// LibreOffice gets the copy without VBA and objects where libgsf can make one: it never runs
// macros in a conversion, but it need not even see them.
std::string converter_input(const Part& in, const Scan& scan, const Context& context) {
  if (scan.kind == OfficeKind::powerpoint) return std::string(in.bytes);
  std::string error;
  std::optional<std::string> bytes = without_active(in, context, error);
  return bytes ? std::move(*bytes) : std::string(in.bytes);
}

Outcome convert(const Part& in, const Scan& scan, const ModuleOptions& options, Context& context) {
  const std::string noun(kind_noun(scan.kind));
  std::vector<Finding> findings = scan_findings(scan);
  const std::string input = converter_input(in, scan, context);
  libreoffice::Conversion request = conversion_for(input, scan, options, context);
  switch (scan.kind) {
    case OfficeKind::word:
      request.target = "docx:MS Word 2007 XML";
      break;
    case OfficeKind::excel:
      request.target = "xlsx:Calc MS Excel 2007 XML";
      break;
    default:
      request.target = "pptx:Impress MS PowerPoint 2007 XML";
      break;
  }
  request.output_extension = std::string(ooxml_extension(scan.kind));
  const libreoffice::ConversionResult converted = libreoffice::convert(request);
  if (converted.status != libreoffice::ConversionStatus::ok) {
    Outcome out = libreoffice::conversion_failed(converted, noun);
    out.findings.insert(out.findings.begin(), findings.begin(), findings.end());
    return out;
  }
  ooxml::StripResult stripped = ooxml::strip_active(converted.bytes, {}, context);
  findings.insert(findings.end(), stripped.findings.begin(), stripped.findings.end());
  if (!stripped.ok)
    return removed(noun + " removed: its OOXML conversion was refused (" + stripped.reason + ")",
                   std::move(findings));
  Outcome out;
  out.action = Action::converted;
  out.bytes = std::move(stripped.bytes);
  out.content_type = std::move(stripped.mime);
  out.filename = with_extension(in.filename, stripped.extension);
  out.findings = std::move(findings);
  out.reason = noun + " converted to ." + stripped.extension + " by LibreOffice" +
               (scan.vba_paths.empty() ? "" : "; macros (VBA) not carried over") +
               (scan.object_paths.empty() ? "" : "; embedded objects removed") +
               (scan.dde_fields == 0 ? "" : "; DDE fields removed");
  return out;
}

Outcome flatten(const Part& in, const Scan& scan, const ModuleOptions& options, Context& context) {
  const std::string noun(kind_noun(scan.kind));
  const std::vector<Finding> findings = scan_findings(scan);
  if (std::optional<Outcome> missing = libreoffice::without_pdf_module(noun)) {
    missing->findings.insert(missing->findings.begin(), findings.begin(), findings.end());
    return std::move(*missing);
  }
  const std::string input = converter_input(in, scan, context);
  libreoffice::Conversion request = conversion_for(input, scan, options, context);
  request.target = "pdf";
  request.output_extension = "pdf";
  const libreoffice::ConversionResult pdf = libreoffice::convert(request);
  Outcome out = pdf.status == libreoffice::ConversionStatus::ok
                    ? libreoffice::finish_as_pdf(pdf.bytes, noun, with_extension(in.filename, "pdf"), context)
                    : libreoffice::conversion_failed(pdf, noun);
  out.findings.insert(out.findings.begin(), findings.begin(), findings.end());
  return out;
}

}  // namespace

bool Ole2Sanitizer::handles(const FileType& type) const {
  // Installers and mail items are compound files too, but nothing this module can vouch for.
  return type.cls == TypeClass::ole2 && type.mime != "application/x-msi" &&
         type.mime != "application/vnd.ms-outlook";
}

bool Ole2Sanitizer::supports(std::string_view action) const {
  return action == "strip-active" || action == "convert" || action == "flatten";
}

Outcome Ole2Sanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                           Context& context) const {
  try {
    if (!supports(action))
      return removed("ole2 module cannot '" + std::string(action) + "'; part removed", {});
    if (context.expired())
      return removed("Office document removed: the time limit for this message ran out",
                     {{"limit.max-seconds", "deadline passed before sanitising"}});
    Inspected inspected = inspect(in, context);
    if (inspected.refusal) return std::move(*inspected.refusal);
    if (action == "strip-active") return strip(in, inspected.scan, context);
    if (action == "convert") return convert(in, inspected.scan, options, context);
    return flatten(in, inspected.scan, options, context);
  } catch (const std::bad_alloc&) {
    return removed("Office document removed: out of memory while sanitising",
                   {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("Office document removed: sanitiser error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("Office document removed: sanitiser error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::ole2
