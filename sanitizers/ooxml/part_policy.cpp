#include "ooxml/part_policy.h"

#include <array>
#include <utility>

namespace mugai::sanitizers::ooxml {
namespace {

using Row = std::pair<std::string_view, std::string_view>;  // content type -> code

constexpr std::array kActiveTypes{
    Row{"application/vnd.ms-office.vbaproject", "ooxml.vba-project"},
    Row{"application/vnd.ms-word.vbadata+xml", "ooxml.vba-project"},
    Row{"application/vnd.ms-office.vbaprojectsignature", "ooxml.vba-project"},
    Row{"application/vnd.ms-office.vbaprojectsignatureagile", "ooxml.vba-project"},
    Row{"application/vnd.ms-office.vbaprojectsignaturev3", "ooxml.vba-project"},
    Row{"application/vnd.ms-word.keymapcustomizations+xml", "ooxml.vba-project"},
    Row{"application/vnd.ms-word.attachedtoolbars", "ooxml.vba-project"},
    Row{"application/vnd.ms-excel.macrosheet+xml", "ooxml.macro-sheet"},
    Row{"application/vnd.ms-excel.intlmacrosheet+xml", "ooxml.macro-sheet"},
    Row{"application/vnd.ms-office.activex+xml", "ooxml.activex"},
    Row{"application/vnd.ms-office.activex", "ooxml.activex"},
    Row{"application/vnd.openxmlformats-officedocument.oleobject", "ooxml.ole-object"},
    Row{"application/vnd.ms-office.oleobject", "ooxml.ole-object"},
    Row{"application/vnd.ms-excel.controlproperties+xml", "ooxml.activex"},
};

constexpr std::array kLabels{
    Row{"ooxml.vba-project", "macros (VBA project)"},
    Row{"ooxml.macro-sheet", "Excel 4.0 macro sheets"},
    Row{"ooxml.activex", "ActiveX controls"},
    Row{"ooxml.ole-object", "OLE objects"},
    Row{"ooxml.embedded-package", "embedded files"},
    Row{"ooxml.dde", "DDE fields/links"},
    Row{"ooxml.ole-link", "OLE links"},
    Row{"ooxml.external-link", "external workbook links"},
    Row{"ooxml.external-relationship", "external references"},
    Row{"ooxml.hyperlink", "hyperlinks"},
    Row{"ooxml.customui-callbacks", "ribbon macro callbacks"},
    Row{"ooxml.signature", "digital signature (invalid after sanitising)"},
    Row{"ooxml.alt-chunk", "imported foreign documents (altChunk)"},
};

bool ends_with(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

}  // namespace

std::optional<std::string_view> active_part_code(std::string_view lower_name, std::string_view lower_type) {
  for (const auto& [type, code] : kActiveTypes)
    if (type == lower_type) return code;
  if (ends_with(lower_name, "vbaproject.bin") || ends_with(lower_name, "vbadata.xml"))
    return "ooxml.vba-project";
  if (lower_name.find("activex/") != std::string_view::npos) return "ooxml.activex";
  if (lower_name.find("embeddings/") != std::string_view::npos)
    return ends_with(lower_name, ".bin") ? "ooxml.ole-object" : "ooxml.embedded-package";
  return std::nullopt;
}

bool is_external_link_type(std::string_view lower_type) {
  return lower_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.externallink+xml";
}

std::string_view external_link_code(std::string_view xml) {
  if (xml.find("ddeLink") != std::string_view::npos) return "ooxml.dde";
  if (xml.find("oleLink") != std::string_view::npos) return "ooxml.ole-link";
  return "ooxml.external-link";
}

bool is_custom_ui_relationship(std::string_view type) { return ends_with(type, "/ui/extensibility"); }
bool is_alt_chunk_relationship(std::string_view type) { return ends_with(type, "/relationships/aFChunk"); }
bool is_signature_relationship(std::string_view type) { return ends_with(type, "/digital-signature/origin"); }
bool is_hyperlink_relationship(std::string_view type) { return ends_with(type, "/relationships/hyperlink"); }
bool is_office_document_relationship(std::string_view type) {
  return ends_with(type, "/relationships/officeDocument");
}

std::string_view relationship_label(std::string_view type) {
  const std::size_t slash = type.rfind('/');
  return slash == std::string_view::npos ? type : type.substr(slash + 1);
}

std::string_view finding_label(std::string_view code) {
  for (const auto& [candidate, label] : kLabels)
    if (candidate == code) return label;
  return "";
}

}  // namespace mugai::sanitizers::ooxml
