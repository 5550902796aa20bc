// The Open Packaging Conventions bookkeeping of an OOXML package: [Content_Types].xml and the
// relationship parts (*.rels), parsed into plain structures and written back from them, so
// the output holds only what mugai understood and checked (no stray attributes or elements).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::sanitizers::ooxml {

inline constexpr std::string_view kContentTypesName = "[Content_Types].xml";

struct ContentTypes {
  std::map<std::string, std::string> defaults;  // lower-case extension -> content type as written
  struct Override {
    std::string part;  // as written, without the leading '/'
    std::string type;  // as written
  };
  std::map<std::string, Override> overrides;  // lower-case part name -> override
  // The lower-cased content type of a part ("" when none applies); part names compare
  // case-insensitively.
  std::string type_of(std::string_view part) const;
};

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // as written
  bool external = false;
  std::string resolved;  // internal targets: the part name it points to ("" for external)
};

struct Relationships {
  std::string source;  // source part name ("" for the package root)
  std::vector<Relationship> items;
};

// nullopt + error text when the XML is not what OPC says.
std::optional<ContentTypes> parse_content_types(std::string_view bytes, std::string& error);
std::string write_content_types(const ContentTypes& types);

std::optional<Relationships> parse_relationships(std::string_view bytes, std::string_view rels_part,
                                                 std::string& error);
std::string write_relationships(const Relationships& rels);

// "word/_rels/document.xml.rels" -> "word/document.xml"; "_rels/.rels" -> "". nullopt if the
// name is not a relationship part.
std::optional<std::string> source_of_rels(std::string_view rels_part);
// "word/document.xml" -> "word/_rels/document.xml.rels"
std::string rels_of(std::string_view part);
// Resolves a relationship target against its source part (OPC: relative to the source's folder,
// '/'-rooted targets from the package root, %-escapes decoded). nullopt when it leaves the package.
std::optional<std::string> resolve_target(std::string_view source, std::string_view target);

std::string lower(std::string_view text);

}  // namespace mugai::sanitizers::ooxml
