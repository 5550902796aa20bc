#include "ooxml/xml_doc.h"

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include <climits>

namespace mugai::sanitizers::ooxml {
ParsedXml parse_xml(std::string_view bytes, std::string_view part_name) {
  ParsedXml result;
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    result.error = std::string(part_name) + " is too large to parse";
    return result;
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    result.error = "libxml2 could not start";
    return result;
  }
  // NONET: no fetches. Without NOENT, DTDLOAD and HUGE: no entity substitution, no external
  // subset, libxml2's default size and depth caps stay on.
  constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xmlDoc* doc =
      xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, kOptions);
  const bool well_formed = ctxt->wellFormed != 0;
  xmlFreeParserCtxt(ctxt);
  if (!doc || !well_formed) {
    if (doc) xmlFreeDoc(doc);
    result.error = std::string(part_name) + " is not well-formed XML";
    return result;
  }
  if (doc->intSubset || doc->extSubset) {
    xmlFreeDoc(doc);
    result.error =
        std::string(part_name) + " has a DOCTYPE (not allowed in OOXML; entity attacks start there)";
    return result;
  }
  result.doc.reset(doc);
  return result;
}

std::string serialize_xml(xmlDoc* doc) {
  doc->standalone = 1;
  xmlChar* buffer = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &buffer, &size, "UTF-8");
  std::string out;
  if (buffer) out.assign(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
  xmlFree(buffer);
  return out;
}

std::optional<std::string> attribute(const xmlNode* node, std::string_view local_name, std::string_view ns) {
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (local_name != reinterpret_cast<const char*>(attr->name)) continue;
    const char* attr_ns = attr->ns ? reinterpret_cast<const char*>(attr->ns->href) : "";
    if (ns != attr_ns) continue;
    xmlChar* value = xmlNodeListGetString(node->doc, attr->children, 1);
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
  }
  return std::nullopt;
}

bool is_element(const xmlNode* node, std::string_view local_name) {
  return node && node->type == XML_ELEMENT_NODE && local_name == reinterpret_cast<const char*>(node->name);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace mugai::sanitizers::ooxml
