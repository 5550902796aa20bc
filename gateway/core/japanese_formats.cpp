#include "japanese_formats.h"

#include <algorithm>
#include <string>

namespace mugai::core {
namespace {

constexpr std::string_view kOle2Magic{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
// "\x04JSRV_SegmentInformation" as an OLE2 directory entry name (UTF-16LE).
constexpr std::string_view kIchitaroStream{
    "\x04\0J\0S\0R\0V\0_\0S\0e\0g\0m\0e\0n\0t\0I\0n\0f\0o\0r\0m\0a\0t\0i\0o\0n\0", 48};
constexpr std::size_t kStepHeaderWindow = 4096;

FileType named(std::string mime, std::string description, TypeClass cls) {
  FileType type;
  type.mime = std::move(mime);
  type.description = std::move(description);
  type.cls = cls;
  return type;
}

std::string_view skip_bom_and_space(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() &&
         (bytes.front() == ' ' || bytes.front() == '\r' || bytes.front() == '\n' || bytes.front() == '\t'))
    bytes.remove_prefix(1);
  return bytes;
}

}  // namespace

std::optional<FileType> japanese_format(std::string_view bytes) {
  if (bytes.starts_with(kOle2Magic)) {
    if (std::search(bytes.begin(), bytes.end(), kIchitaroStream.begin(), kIchitaroStream.end()) !=
        bytes.end())
      return named("application/x-js-taro", "一太郎 (Ichitaro) document", TypeClass::ichitaro);
    return std::nullopt;
  }
  if (bytes.starts_with("%XDW"))
    return named("application/vnd.fujixerox.docuworks", "DocuWorks document", TypeClass::docuworks);
  if (bytes.starts_with("JwwData."))
    return named("application/x-jw-cad", "JW_CAD drawing (JWW)", TypeClass::jw_cad);
  const std::string_view text = skip_bom_and_space(bytes);
  if (text.starts_with("ISO-10303-21;")) {
    const std::string_view header = text.substr(0, kStepHeaderWindow);
    if (header.find("SCADEC") != std::string_view::npos)
      return named("application/x-sxf-sfc", "SXF (SFC) CAD exchange drawing", TypeClass::cad_exchange);
    return named("model/step", "STEP (ISO 10303-21, P21) CAD exchange file", TypeClass::cad_exchange);
  }
  return std::nullopt;
}

std::optional<Finding> japanese_format_finding(const FileType& type) {
  switch (type.cls) {
    case TypeClass::ichitaro:
      return Finding{"format.ichitaro", type.description};
    case TypeClass::docuworks:
      return Finding{"format.docuworks", type.description};
    case TypeClass::jw_cad:
      return Finding{"format.jw-cad", type.description};
    case TypeClass::cad_exchange:
      return Finding{type.mime == "model/step" ? "format.step" : "format.sfc", type.description};
    default:
      return std::nullopt;
  }
}

}  // namespace mugai::core
