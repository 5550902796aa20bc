#include "ooxml/strip_active.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "ooxml/office_types.h"
#include "ooxml/opc_model.h"
#include "ooxml/part_policy.h"
#include "ooxml/reference_cleanup.h"
#include "ooxml/word_fields.h"
#include "ooxml/xml_doc.h"
#include "ooxml/zip_io.h"

namespace mugai::sanitizers::ooxml {
namespace {

constexpr std::string_view kRelsType = "application/vnd.openxmlformats-package.relationships+xml";
constexpr std::size_t kNamesInDetail = 8;

struct Package {
  std::vector<std::string> order;             // non-bookkeeping parts, zip order
  std::map<std::string, std::string> parts;   // lower-case name -> bytes
  std::map<std::string, std::string> names;   // lower-case name -> name as stored
  std::map<std::string, Relationships> rels;  // lower-case source ("" = root) -> relationships
  ContentTypes types;
};

// Everything removed, grouped by finding code, for the findings and the reason line.
class Tally {
 public:
  void add(std::string_view code, std::string item) { items_[std::string(code)].push_back(std::move(item)); }
  std::vector<Finding> findings() const {
    std::vector<Finding> out;
    for (const auto& [code, items] : items_) {
      std::string detail = std::to_string(items.size()) + " removed: ";
      for (std::size_t i = 0; i < items.size() && i < kNamesInDetail; ++i)
        detail += (i ? ", " : "") + items[i];
      if (items.size() > kNamesInDetail) detail += ", ...";
      out.push_back({code, detail});
    }
    return out;
  }
  std::string summary() const {
    std::string out;
    for (const auto& [code, items] : items_) {
      const std::string_view label = finding_label(code);
      if (label.empty()) continue;
      out += (out.empty() ? "" : ", ") + std::string(label) + " (" + std::to_string(items.size()) + ")";
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>> items_;
};

StripResult refused(std::string reason, Finding finding) {
  StripResult result;
  result.reason = std::move(reason);
  result.findings.push_back(std::move(finding));
  return result;
}

std::string family_noun(std::string_view family) {
  if (family == "word") return "Word document";
  if (family == "excel") return "Excel workbook";
  return "PowerPoint presentation";
}

bool has_callbacks(const xmlNode* node) {
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
      const std::string_view name = reinterpret_cast<const char*>(attr->name);
      if (name.starts_with("on") || name.starts_with("get") || name == "loadImage") return true;
    }
    if (has_callbacks(node->children)) return true;
  }
  return false;
}

class Stripper {
 public:
  Stripper(const StripOptions& options, const Context& context) : options_(options), context_(context) {}

  StripResult run(std::string_view bytes) {
    ZipBounds bounds;
    bounds.max_members = options_.max_members;
    const std::uint64_t by_ratio = static_cast<std::uint64_t>(context_.limits.max_expand_ratio) *
                                   std::max<std::uint64_t>(bytes.size(), 1);
    bounds.max_total_bytes = std::min<std::uint64_t>(context_.limits.max_decoded_bytes, by_ratio);
    bounds.max_member_bytes = bounds.max_total_bytes;
    bounds.max_xml_bytes = options_.max_xml_bytes;
    ZipReadResult zip = read_zip(bytes, bounds, context_);
    if (zip.failure) return refused("Office package refused: " + zip.failure->detail, *zip.failure);
    if (std::optional<StripResult> failure = load(std::move(zip.members))) return std::move(*failure);

    const std::optional<std::string> main = main_part();
    const MainType* type = main ? &main_type_ : nullptr;
    if (!type)
      return refused(
          "Office package refused: no known main document part",
          {"ooxml.unknown-type", "the package names no Word, Excel or PowerPoint main part mugai knows"});
    if (type->kind == MainKind::addin)
      return refused("Office add-in refused: an add-in (." + std::string(type->source_extension) +
                         ") is nothing but a macro container",
                     {"ooxml.addin", "." + std::string(type->source_extension) + " add-in"});
    if (type->kind == MainKind::binary)
      return refused("Excel binary workbook (.xlsb) refused: its records cannot be inspected",
                     {"ooxml.binary-workbook", "binary workbook parts are not inspected"});

    classify_parts();
    classify_by_relationship();
    if (removed_.contains(*main))
      return refused(
          "Office package refused: its main document part is itself active content",
          {"ooxml.unknown-type", "main part " + package_.names[*main] + " is not a document part"});
    prune_relationships();
    drop_unreachable();
    if (context_.expired()) return refused("Office package removed: the time limit ran out", deadline());
    std::optional<StripResult> failure = rewrite_xml();
    if (failure) return std::move(*failure);
    if (context_.expired()) return refused("Office package removed: the time limit ran out", deadline());
    convert_main_type(*main);
    return write(*type, *main);
  }

 private:
  static Finding deadline() { return {"limit.max-seconds", "deadline passed while sanitising the package"}; }

  std::optional<StripResult> load(std::vector<ZipMember> members) {
    bool have_types = false;
    for (ZipMember& member : members) {
      const std::string key = lower(member.name);
      if (key == lower(kContentTypesName)) {
        std::string error;
        std::optional<ContentTypes> types = parse_content_types(member.bytes, error);
        if (!types) return refused("Office package refused: " + error, {"ooxml.bad-content-types", error});
        package_.types = std::move(*types);
        have_types = true;
        continue;
      }
      if (const std::optional<std::string> source = source_of_rels(member.name)) {
        if (member.bytes.size() > options_.max_xml_bytes) return too_large(member.name);
        std::string error;
        std::optional<Relationships> rels = parse_relationships(member.bytes, member.name, error);
        if (!rels) return refused("Office package refused: " + error, {"ooxml.bad-relationships", error});
        package_.rels[lower(*source)] = std::move(*rels);
        continue;
      }
      package_.order.push_back(member.name);
      package_.names[key] = member.name;
      package_.parts[key] = std::move(member.bytes);
    }
    if (!have_types)
      return refused("not an Office package: [Content_Types].xml is missing",
                     {"ooxml.not-a-package", "zip without [Content_Types].xml"});
    return std::nullopt;
  }

  StripResult too_large(std::string_view name) const {
    return refused("Office package refused: part " + std::string(name) + " is larger than " +
                       std::to_string(options_.max_xml_bytes) + " bytes of XML",
                   {"limit.ooxml-xml-size", std::string(name) + " exceeds max_xml_bytes"});
  }

  std::optional<std::string> main_part() {
    const auto root = package_.rels.find("");
    if (root == package_.rels.end()) return std::nullopt;
    for (const Relationship& rel : root->second.items) {
      if (!is_office_document_relationship(rel.type) || rel.external) continue;
      const std::string key = lower(rel.resolved);
      if (!package_.parts.contains(key)) continue;
      const std::optional<MainType> type = main_type(package_.types.type_of(key));
      if (!type) continue;
      main_type_ = *type;
      return key;
    }
    return std::nullopt;
  }

  void remove_part(const std::string& key, std::string_view code) {
    if (!removed_.insert(key).second) return;
    tally_.add(code, package_.names[key]);
  }

  void classify_parts() {
    for (const auto& [key, bytes] : package_.parts) {
      const std::string type = package_.types.type_of(key);
      if (type.empty()) {
        remove_part(key, "ooxml.untyped-part");
      } else if (const std::optional<std::string_view> code = active_part_code(key, type)) {
        remove_part(key, *code);
      } else if (is_external_link_type(type)) {
        remove_part(key, external_link_code(bytes));
      }
    }
  }

  void classify_by_relationship() {
    for (const auto& [source, rels] : package_.rels)
      for (const Relationship& rel : rels.items) {
        if (rel.external) continue;
        const std::string key = lower(rel.resolved);
        const auto part = package_.parts.find(key);
        if (part == package_.parts.end()) continue;
        if (is_signature_relationship(rel.type)) remove_part(key, "ooxml.signature");
        if (is_alt_chunk_relationship(rel.type)) remove_part(key, "ooxml.alt-chunk");
        if (is_custom_ui_relationship(rel.type) && custom_ui_has_callbacks(key, part->second))
          remove_part(key, "ooxml.customui-callbacks");
      }
  }

  bool custom_ui_has_callbacks(const std::string& key, const std::string& bytes) {
    if (bytes.size() > options_.max_xml_bytes) return true;
    ParsedXml parsed = parse_xml(bytes, key);
    return !parsed.doc || has_callbacks(xmlDocGetRootElement(parsed.doc.get()));
  }

  void prune_relationships() {
    for (auto& [source, rels] : package_.rels) {
      std::vector<Relationship> kept;
      for (Relationship& rel : rels.items) {
        const std::string key = lower(rel.resolved);
        bool drop = false;
        if (rel.external) {
          if (is_hyperlink_relationship(rel.type)) {
            drop = !options_.keep_links;
            if (drop) tally_.add("ooxml.hyperlink", rel.target);
          } else {
            drop = true;
            tally_.add("ooxml.external-relationship",
                       std::string(relationship_label(rel.type)) + " -> " + rel.target);
          }
        } else if (removed_.contains(key)) {
          drop = true;
        } else if (!package_.parts.contains(key)) {
          drop = true;
          tally_.add("ooxml.dangling-relationship",
                     std::string(relationship_label(rel.type)) + " -> " + rel.target);
        }
        if (drop)
          removed_ids_[source].insert(rel.id);
        else
          kept.push_back(std::move(rel));
      }
      rels.items = std::move(kept);
    }
  }

  void drop_unreachable() {
    std::set<std::string> reached{""};
    std::deque<std::string> queue{""};
    while (!queue.empty()) {
      const std::string source = queue.front();
      queue.pop_front();
      const auto rels = package_.rels.find(source);
      if (rels == package_.rels.end()) continue;
      for (const Relationship& rel : rels->second.items) {
        if (rel.external) continue;
        const std::string key = lower(rel.resolved);
        if (reached.insert(key).second) queue.push_back(key);
      }
    }
    for (const auto& [key, bytes] : package_.parts)
      if (!reached.contains(key) && !removed_.contains(key)) remove_part(key, "ooxml.unreferenced-part");
  }

  bool kept(const std::string& key) const { return package_.parts.contains(key) && !removed_.contains(key); }

  std::optional<StripResult> rewrite_xml() {
    for (const auto& [source, ids] : removed_ids_) {
      if (!kept(source)) continue;
      if (std::optional<StripResult> failure = edit(source, ids, false)) return failure;
    }
    if (main_type_.family != "word") return std::nullopt;
    for (const auto& [key, bytes] : package_.parts) {
      if (!kept(key) || removed_ids_.contains(key)) continue;
      const std::string type = package_.types.type_of(key);
      if (type.find("wordprocessingml") == std::string::npos || !type.ends_with("+xml")) continue;
      if (bytes.find("instr") == std::string::npos) continue;  // no field instruction at all
      if (std::optional<StripResult> failure = edit(key, {}, true)) return failure;
    }
    return std::nullopt;
  }

  // Parses one part, drops references to removed relationships and DDE fields, writes it back
  // if anything changed.
  std::optional<StripResult> edit(const std::string& key, const std::set<std::string>& ids,
                                  bool only_fields) {
    std::string& bytes = package_.parts[key];
    const std::string type = package_.types.type_of(key);
    const bool word = type.find("wordprocessingml") != std::string::npos;
    if (!type.ends_with("xml")) return std::nullopt;  // binary parts hold no r:id references
    if (bytes.size() > options_.max_xml_bytes) return too_large(package_.names[key]);
    ParsedXml parsed = parse_xml(bytes, package_.names[key]);
    if (!parsed.doc)
      return refused("Office package refused: " + parsed.error, {"ooxml.bad-xml", parsed.error});
    bool changed = false;
    if (!only_fields) {
      const CleanupCount count = remove_references(parsed.doc.get(), ids);
      changed = count.elements + count.attributes > 0;
    }
    if (word) {
      const std::size_t fields = remove_dde_fields(parsed.doc.get());
      for (std::size_t i = 0; i < fields; ++i) tally_.add("ooxml.dde", "field in " + package_.names[key]);
      changed = changed || fields > 0;
    }
    if (changed) bytes = serialize_xml(parsed.doc.get());
    return std::nullopt;
  }

  void convert_main_type(const std::string& main) {
    if (!main_type_.macro_enabled) return;
    package_.types.overrides[main] = {package_.names[main], std::string(main_type_.clean_type)};
  }

  ContentTypes output_types() const {
    ContentTypes out;
    std::set<std::string> used_extensions{"rels"};
    for (const auto& [key, bytes] : package_.parts) {
      if (!kept(key)) continue;
      const std::size_t dot = key.rfind('.');
      if (dot != std::string::npos) used_extensions.insert(key.substr(dot + 1));
    }
    for (const auto& [extension, type] : package_.types.defaults)
      if (used_extensions.contains(extension)) out.defaults[extension] = type;
    out.defaults["rels"] = std::string(kRelsType);
    for (const auto& [key, entry] : package_.types.overrides)
      if (kept(key)) out.overrides[key] = entry;
    return out;
  }

  StripResult write(const MainType& type, const std::string& main) {
    std::vector<ZipMember> members;
    members.push_back({std::string(kContentTypesName), write_content_types(output_types())});
    const auto write_rels = [&](const std::string& source) {
      const auto rels = package_.rels.find(source);
      if (rels == package_.rels.end()) return;
      const std::string name = source.empty() ? "_rels/.rels" : rels_of(package_.names[source]);
      members.push_back({name, write_relationships(rels->second)});
    };
    write_rels("");
    // The main part comes third, as Office writes it: libmagic (and so `file` and mugai's own
    // type check) names an OOXML type by the folder of the first members after the bookkeeping.
    members.push_back({package_.names[main], std::move(package_.parts[main])});
    write_rels(main);
    for (const std::string& name : package_.order) {
      const std::string key = lower(name);
      if (!kept(key) || key == main) continue;
      members.push_back({name, std::move(package_.parts[key])});
      write_rels(key);
    }
    std::optional<std::string> zip = write_zip(members);
    if (!zip)
      return refused("Office package removed: the rebuilt package could not be written",
                     {"module.error", "libarchive failed to write the zip"});
    StripResult result;
    result.ok = true;
    result.bytes = std::move(*zip);
    result.mime = std::string(type.mime);
    result.extension = std::string(type.extension);
    result.source_extension = std::string(type.source_extension);
    result.findings = tally_.findings();
    const std::string summary = tally_.summary();
    result.reason = family_noun(type.family) + (summary.empty() ? " rewritten; no active content found"
                                                                : " sanitised: removed " + summary);
    if (type.macro_enabled)
      result.reason +=
          "; ." + std::string(type.source_extension) + " converted to ." + std::string(type.extension);
    return result;
  }

  const StripOptions& options_;
  const Context& context_;
  Package package_;
  MainType main_type_;
  std::set<std::string> removed_;
  std::map<std::string, std::set<std::string>> removed_ids_;
  Tally tally_;
};

}  // namespace

StripResult strip_active(std::string_view bytes, const StripOptions& options, const Context& context) {
  return Stripper(options, context).run(bytes);
}

}  // namespace mugai::sanitizers::ooxml
