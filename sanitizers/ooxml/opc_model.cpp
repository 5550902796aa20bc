#include "ooxml/opc_model.h"

#include <algorithm>
#include <cctype>

#include "ooxml/xml_doc.h"

namespace mugai::sanitizers::ooxml {
namespace {

constexpr std::string_view kContentTypesNs = "http://schemas.openxmlformats.org/package/2006/content-types";
constexpr std::string_view kRelsNs = "http://schemas.openxmlformats.org/package/2006/relationships";

bool in_namespace(const xmlNode* node, std::string_view ns) {
  return node->ns && ns == reinterpret_cast<const char*>(node->ns->href);
}

std::string strip_slash(std::string_view name) {
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return std::string(name);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string ContentTypes::type_of(std::string_view part) const {
  if (const auto found = overrides.find(lower(part)); found != overrides.end())
    return lower(found->second.type);
  const std::size_t slash = part.rfind('/');
  const std::size_t dot = part.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  const auto found = defaults.find(lower(part.substr(dot + 1)));
  return found == defaults.end() ? "" : lower(found->second);
}

std::optional<ContentTypes> parse_content_types(std::string_view bytes, std::string& error) {
  ParsedXml parsed = parse_xml(bytes, kContentTypesName);
  if (!parsed.doc) {
    error = parsed.error;
    return std::nullopt;
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
  if (!is_element(root, "Types") || !in_namespace(root, kContentTypesNs)) {
    error = "[Content_Types].xml has no Types root";
    return std::nullopt;
  }
  ContentTypes types;
  for (const xmlNode* child = root->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    const std::optional<std::string> type = attribute(child, "ContentType");
    if (is_element(child, "Default")) {
      const std::optional<std::string> extension = attribute(child, "Extension");
      if (!extension || !type) continue;
      types.defaults[lower(*extension)] = *type;
    } else if (is_element(child, "Override")) {
      const std::optional<std::string> part = attribute(child, "PartName");
      if (!part || !type) continue;
      const std::string name = strip_slash(percent_decode(*part));
      types.overrides[lower(name)] = {name, *type};
    }
  }
  return types;
}

std::string write_content_types(const ContentTypes& types) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">";
  for (const auto& [extension, type] : types.defaults)
    out += "<Default Extension=\"" + xml_escape(extension) + "\" ContentType=\"" + xml_escape(type) + "\"/>";
  for (const auto& [key, entry] : types.overrides)
    out += "<Override PartName=\"/" + xml_escape(entry.part) + "\" ContentType=\"" + xml_escape(entry.type) +
           "\"/>";
  out += "</Types>";
  return out;
}

std::optional<std::string> source_of_rels(std::string_view rels_part) {
  constexpr std::string_view kSuffix = ".rels";
  if (rels_part.size() < kSuffix.size() ||
      lower(rels_part.substr(rels_part.size() - kSuffix.size())) != kSuffix)
    return std::nullopt;
  const std::size_t slash = rels_part.rfind('/');
  const std::string_view folder = slash == std::string_view::npos ? "" : rels_part.substr(0, slash);
  const std::string_view file = rels_part.substr(slash == std::string_view::npos ? 0 : slash + 1);
  constexpr std::string_view kRelsFolder = "_rels";
  std::string_view parent;
  if (folder == kRelsFolder) {
    parent = "";
  } else if (folder.size() > kRelsFolder.size() && folder.ends_with("/_rels")) {
    parent = folder.substr(0, folder.size() - kRelsFolder.size() - 1);
  } else {
    return std::nullopt;
  }
  const std::string_view source_file = file.substr(0, file.size() - kSuffix.size());
  if (source_file.empty()) return parent.empty() ? std::optional<std::string>("") : std::nullopt;
  return parent.empty() ? std::string(source_file) : std::string(parent) + "/" + std::string(source_file);
}

std::string rels_of(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  if (slash == std::string_view::npos) return "_rels/" + std::string(part) + ".rels";
  return std::string(part.substr(0, slash)) + "/_rels/" + std::string(part.substr(slash + 1)) + ".rels";
}

std::optional<std::string> resolve_target(std::string_view source, std::string_view target) {
  std::string decoded = percent_decode(target);
  const std::size_t fragment = decoded.find('#');
  if (fragment != std::string::npos) decoded.resize(fragment);
  std::vector<std::string> segments;
  if (!decoded.empty() && decoded.front() != '/') {
    const std::size_t slash = source.rfind('/');
    std::string_view folder = slash == std::string_view::npos ? "" : source.substr(0, slash);
    std::size_t start = 0;
    while (!folder.empty() && start <= folder.size()) {
      const std::size_t end = std::min(folder.find('/', start), folder.size());
      segments.emplace_back(folder.substr(start, end - start));
      start = end + 1;
    }
  }
  std::size_t start = 0;
  const std::string_view path = decoded;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
      continue;
    }
    segments.emplace_back(segment);
  }
  if (segments.empty()) return std::nullopt;
  std::string out;
  for (const std::string& segment : segments) out += (out.empty() ? "" : "/") + segment;
  return out;
}

std::optional<Relationships> parse_relationships(std::string_view bytes, std::string_view rels_part,
                                                 std::string& error) {
  const std::optional<std::string> source = source_of_rels(rels_part);
  if (!source) {
    error = std::string(rels_part) + " is not a relationship part name";
    return std::nullopt;
  }
  ParsedXml parsed = parse_xml(bytes, rels_part);
  if (!parsed.doc) {
    error = parsed.error;
    return std::nullopt;
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
  if (!is_element(root, "Relationships") || !in_namespace(root, kRelsNs)) {
    error = std::string(rels_part) + " has no Relationships root";
    return std::nullopt;
  }
  Relationships rels;
  rels.source = *source;
  for (const xmlNode* child = root->children; child; child = child->next) {
    if (!is_element(child, "Relationship")) continue;
    Relationship rel;
    rel.id = attribute(child, "Id").value_or("");
    rel.type = attribute(child, "Type").value_or("");
    rel.target = attribute(child, "Target").value_or("");
    rel.external = lower(attribute(child, "TargetMode").value_or("")) == "external";
    if (rel.id.empty()) continue;
    if (!rel.external) rel.resolved = resolve_target(rels.source, rel.target).value_or("");
    rels.items.push_back(std::move(rel));
  }
  return rels;
}

std::string write_relationships(const Relationships& rels) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (const Relationship& rel : rels.items) {
    out += "<Relationship Id=\"" + xml_escape(rel.id) + "\" Type=\"" + xml_escape(rel.type) + "\" Target=\"" +
           xml_escape(rel.target) + "\"";
    if (rel.external) out += " TargetMode=\"External\"";
    out += "/>";
  }
  out += "</Relationships>";
  return out;
}

}  // namespace mugai::sanitizers::ooxml
