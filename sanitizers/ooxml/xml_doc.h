// libxml2 documents for package parts, parsed the safe way: no network (XML_PARSE_NONET), no
// entity substitution (no XML_PARSE_NOENT), no DTD loading, never XML_PARSE_HUGE. OOXML forbids
// DTDs, so a part with a DOCTYPE is refused outright: it is how billion-laughs and external
// entity attacks start.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::sanitizers::ooxml {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

struct ParsedXml {
  XmlDoc doc;
  std::string error;  // set when doc is null
};

ParsedXml parse_xml(std::string_view bytes, std::string_view part_name);
// UTF-8 with an XML declaration (standalone="yes"), as Office writes parts.
std::string serialize_xml(xmlDoc* doc);

// Attribute value by local name and namespace URI ("" = no namespace), or nullopt.
std::optional<std::string> attribute(const xmlNode* node, std::string_view local_name,
                                     std::string_view ns = "");
bool is_element(const xmlNode* node, std::string_view local_name);

// Escapes text for an attribute value in hand-written XML.
std::string xml_escape(std::string_view text);

// Transitional (ECMA-376) and Strict (ISO/IEC 29500 Strict) spellings of the namespaces mugai
// acts on: a Strict document must not escape the checks by its namespace.
inline constexpr std::string_view kRelationshipsNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
inline constexpr std::string_view kStrictRelationshipsNs =
    "http://purl.oclc.org/ooxml/officeDocument/relationships";
inline constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
inline constexpr std::string_view kStrictWordNs = "http://purl.oclc.org/ooxml/wordprocessingml/main";

// The namespace URI of a node or attribute namespace ("" when none).
inline std::string_view namespace_of(const xmlNs* ns) {
  return ns && ns->href ? std::string_view(reinterpret_cast<const char*>(ns->href)) : std::string_view();
}

}  // namespace mugai::sanitizers::ooxml
