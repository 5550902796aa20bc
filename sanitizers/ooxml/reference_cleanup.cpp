#include "ooxml/reference_cleanup.h"

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "ooxml/xml_doc.h"

namespace mugai::sanitizers::ooxml {
namespace {

// Elements that are nothing but a pointer to the relationship.
constexpr std::array<std::string_view, 11> kPointerElements{
    "attachedTemplate", "externalReference", "control",  "OLEObject",   "oleObject", "sheet", "subDoc",
    "oleObj",           "controlPr",         "altChunk", "externalData"};

// Containers that must not be left empty.
constexpr std::array<std::string_view, 6> kContainers{"controls",         "oleObjects", "externalReferences",
                                                      "AlternateContent", "Choice",     "Fallback"};

bool in_list(const xmlNode* node, std::span<const std::string_view> names) {
  for (std::string_view name : names)
    if (is_element(node, name)) return true;
  return false;
}

bool refers_to_removed(xmlAttr* attr, const std::set<std::string>& removed_ids) {
  const std::string_view ns = namespace_of(attr->ns);
  if (ns != kRelationshipsNs && ns != kStrictRelationshipsNs) return false;
  xmlChar* value = xmlNodeListGetString(attr->doc, attr->children, 1);
  const bool hit = value && removed_ids.contains(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return hit;
}

xmlNode* element_to_remove(xmlNode* node) {
  // A PowerPoint OLE object is a graphic frame whose graphicData holds p:oleObj.
  if (is_element(node, "oleObj"))
    for (xmlNode* up = node->parent; up && up->type == XML_ELEMENT_NODE; up = up->parent)
      if (is_element(up, "graphicFrame")) return up;
  // An ActiveX control's properties belong to the control element.
  if (is_element(node, "controlPr") && is_element(node->parent, "control")) return node->parent;
  return node;
}

void scan(xmlNode* node, const std::set<std::string>& removed_ids, std::vector<xmlNode*>& doomed,
          CleanupCount& count) {
  for (xmlNode* child = node; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    bool doom = false;
    for (xmlAttr* attr = child->properties; attr;) {
      xmlAttr* next = attr->next;
      if (refers_to_removed(attr, removed_ids)) {
        if (in_list(child, kPointerElements)) {
          doom = true;
        } else {
          xmlRemoveProp(attr);
          ++count.attributes;
        }
      }
      attr = next;
    }
    if (doom) {
      doomed.push_back(element_to_remove(child));
      continue;
    }
    scan(child->children, removed_ids, doomed, count);
  }
}

bool has_element_child(const xmlNode* node) {
  for (const xmlNode* child = node->children; child; child = child->next)
    if (child->type == XML_ELEMENT_NODE) return true;
  return false;
}

void remove_with_empty_containers(xmlNode* node) {
  xmlNode* parent = node->parent;
  xmlUnlinkNode(node);
  xmlFreeNode(node);
  while (parent && parent->type == XML_ELEMENT_NODE && in_list(parent, kContainers) &&
         !has_element_child(parent)) {
    xmlNode* up = parent->parent;
    xmlUnlinkNode(parent);
    xmlFreeNode(parent);
    parent = up;
  }
}

bool contains(const std::vector<xmlNode*>& nodes, const xmlNode* node) {
  for (const xmlNode* candidate : nodes)
    if (candidate == node) return true;
  return false;
}

}  // namespace

CleanupCount remove_references(xmlDoc* doc, const std::set<std::string>& removed_ids) {
  CleanupCount count;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root || removed_ids.empty()) return count;
  std::vector<xmlNode*> doomed;
  scan(root, removed_ids, doomed, count);
  // The same graphic frame can be reached twice; a node inside a doomed one goes with it.
  std::vector<xmlNode*> unique;
  for (xmlNode* node : doomed) {
    bool nested = contains(unique, node);
    for (xmlNode* up = node->parent; up && !nested; up = up->parent) nested = contains(doomed, up);
    if (!nested) unique.push_back(node);
  }
  for (xmlNode* node : unique) remove_with_empty_containers(node);
  count.elements = unique.size();
  return count;
}

}  // namespace mugai::sanitizers::ooxml
