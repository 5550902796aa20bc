// What counts as active in an OOXML package, by content type, part name and relationship type.
// One table per concern, so a reviewer can read the policy without reading the rewrite.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mugai::sanitizers::ooxml {

// The finding code for a part that is removed for what it is ("ooxml.vba-project", ...), or
// nullopt for an ordinary part. `lower_name` and `lower_type` are lower-cased.
std::optional<std::string_view> active_part_code(std::string_view lower_name, std::string_view lower_type);

// External workbook links: the code says what kind ("ooxml.dde", "ooxml.ole-link",
// "ooxml.external-link"), from the part's XML.
bool is_external_link_type(std::string_view lower_type);
std::string_view external_link_code(std::string_view xml);

bool is_custom_ui_relationship(std::string_view type);
// Word's altChunk: a whole foreign document (RTF, HTML, MHT, another docx) that Word imports
// when the file opens; RTF can carry OLE objects and exploits, so the chunk goes.
bool is_alt_chunk_relationship(std::string_view type);
bool is_signature_relationship(std::string_view type);
bool is_hyperlink_relationship(std::string_view type);
bool is_office_document_relationship(std::string_view type);
// Last path segment of a relationship type, for reports ("attachedTemplate", "image").
std::string_view relationship_label(std::string_view type);

// People-readable name of a finding code for the reason line ("macros (VBA)").
std::string_view finding_label(std::string_view code);

}  // namespace mugai::sanitizers::ooxml
