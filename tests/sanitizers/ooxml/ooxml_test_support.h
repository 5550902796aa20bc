// Builders for OOXML packages in memory (the tests' own inputs) and a reader for the results.
// The independent checks of real outputs are in test_ooxml_outputs.py (zipfile, ClamAV,
// LibreOffice); these helpers only keep the unit tests short.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ooxml/ooxml_sanitizer.h"
#include "ooxml/zip_io.h"
#include "sanitizer_test_support.h"

namespace mugai::test {

inline constexpr std::string_view kDocxMain =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
inline constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
inline const std::string kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

inline std::string word_document(std::string_view body) {
  return kXmlHead + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " +
         "xmlns:r=\"" + std::string(kRelNs) + "\"><w:body>" + std::string(body) + "</w:body></w:document>";
}

inline std::string rels_xml(std::string_view relationships) {
  return kXmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
         std::string(relationships) + "</Relationships>";
}

inline std::string rel(std::string_view id, std::string_view type, std::string_view target,
                       bool external = false) {
  return "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + std::string(type) + "\" Target=\"" +
         std::string(target) + "\"" + (external ? " TargetMode=\"External\"" : "") + "/>";
}

inline std::string types_xml(std::string_view main_type, std::string_view extra = "") {
  return kXmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
         "<Override PartName=\"/word/document.xml\" ContentType=\"" + std::string(main_type) + "\"/>" +
         std::string(extra) + "</Types>";
}

struct PackageBuilder {
  std::vector<sanitizers::ooxml::ZipMember> members;

  // A Word package: [Content_Types].xml, _rels/.rels, word/document.xml and its rels.
  static PackageBuilder word(std::string_view body, std::string_view document_rels = "",
                             std::string_view main_type = kDocxMain, std::string_view type_extra = "") {
    PackageBuilder builder;
    builder.set("[Content_Types].xml", types_xml(main_type, type_extra));
    builder.set("_rels/.rels",
                rels_xml(rel("rId1", std::string(kRelNs) + "/officeDocument", "word/document.xml")));
    builder.set("word/document.xml", word_document(body));
    builder.set("word/_rels/document.xml.rels", rels_xml(document_rels));
    return builder;
  }

  PackageBuilder& set(std::string name, std::string bytes) {
    for (auto& member : members)
      if (member.name == name) {
        member.bytes = std::move(bytes);
        return *this;
      }
    members.push_back({std::move(name), std::move(bytes)});
    return *this;
  }

  PackageBuilder& remove(std::string_view name) {
    std::erase_if(members, [&](const auto& member) { return member.name == name; });
    return *this;
  }

  std::string zip() const { return sanitizers::ooxml::write_zip(members).value(); }
};

inline std::map<std::string, std::string> unzip(std::string_view bytes) {
  TestContext test;
  sanitizers::ooxml::ZipBounds bounds;
  bounds.max_total_bytes = bounds.max_member_bytes = 1 << 30;
  std::map<std::string, std::string> out;
  for (auto& member : sanitizers::ooxml::read_zip(bytes, bounds, test.context).members)
    out[member.name] = std::move(member.bytes);
  return out;
}

inline Outcome run_ooxml(std::string_view bytes, std::string action = "strip-active",
                         const ModuleOptions& options = {}, std::string filename = "report.docx") {
  TestContext test;
  Part part = make_part(bytes, "", "", TypeClass::ooxml);
  part.filename = std::move(filename);
  return sanitizers::ooxml::OoxmlSanitizer().run(part, action, options, test.context);
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace mugai::test
