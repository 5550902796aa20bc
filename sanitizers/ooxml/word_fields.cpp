#include "ooxml/word_fields.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "ooxml/xml_doc.h"

namespace mugai::sanitizers::ooxml {
namespace {

bool word_element(const xmlNode* node, std::string_view local_name) {
  const std::string_view ns = namespace_of(node->ns);
  return is_element(node, local_name) && (ns == kWordNs || ns == kStrictWordNs);
}

// A w: attribute in either namespace spelling ("" when absent).
std::string word_attribute(const xmlNode* node, std::string_view local_name) {
  if (std::optional<std::string> value = attribute(node, local_name, kWordNs)) return *value;
  return attribute(node, local_name, kStrictWordNs).value_or("");
}

// The field keyword is the first word of the instruction; Word ignores case, leading whitespace
// and a quote before the keyword.
bool is_dde_instruction(std::string_view instruction) {
  std::size_t at = 0;
  while (at < instruction.size() &&
         (std::isspace(static_cast<unsigned char>(instruction[at])) || instruction[at] == '"'))
    ++at;
  std::string keyword;
  while (at < instruction.size() && std::isalpha(static_cast<unsigned char>(instruction[at])))
    keyword.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(instruction[at++]))));
  return keyword == "DDE" || keyword == "DDEAUTO";
}

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

struct OpenField {
  std::vector<xmlNode*> code_nodes;  // fldChar begin/separate/end and instrText elements
  std::string instruction;
  bool in_result = false;
};

// Walks the elements in document order, tracking open complex fields.
void walk(xmlNode* node, std::vector<OpenField>& open, std::vector<xmlNode*>& doomed, std::size_t& removed) {
  for (xmlNode* child = node; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (word_element(child, "fldChar")) {
      const std::string kind = word_attribute(child, "fldCharType");
      if (kind == "begin") {
        open.push_back({{child}, "", false});
      } else if (kind == "separate" && !open.empty()) {
        open.back().code_nodes.push_back(child);
        open.back().in_result = true;
      } else if (kind == "end" && !open.empty()) {
        OpenField field = std::move(open.back());
        open.pop_back();
        field.code_nodes.push_back(child);
        if (is_dde_instruction(field.instruction)) {
          doomed.insert(doomed.end(), field.code_nodes.begin(), field.code_nodes.end());
          ++removed;
        }
      }
      continue;
    }
    if (word_element(child, "instrText") || word_element(child, "delInstrText")) {
      if (!open.empty() && !open.back().in_result) {
        open.back().instruction += text_of(child);
        open.back().code_nodes.push_back(child);
      }
      continue;
    }
    walk(child->children, open, doomed, removed);
  }
}

void unwrap(xmlNode* node) {
  for (xmlNode* child = node->children; child;) {
    xmlNode* next = child->next;
    xmlUnlinkNode(child);
    xmlAddPrevSibling(node, child);
    child = next;
  }
  xmlUnlinkNode(node);
  xmlFreeNode(node);
}

void collect_simple_fields(xmlNode* node, std::vector<xmlNode*>& found) {
  for (xmlNode* child = node; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    collect_simple_fields(child->children, found);
    if (word_element(child, "fldSimple") && is_dde_instruction(word_attribute(child, "instr")))
      found.push_back(child);
  }
}

}  // namespace

std::size_t remove_dde_fields(xmlDoc* doc) {
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root) return 0;
  std::size_t removed = 0;
  std::vector<OpenField> open;
  std::vector<xmlNode*> doomed;
  walk(root, open, doomed, removed);
  // A field left open at the end of the part: removed too when it reads as DDE (fail closed).
  for (OpenField& field : open)
    if (is_dde_instruction(field.instruction)) {
      doomed.insert(doomed.end(), field.code_nodes.begin(), field.code_nodes.end());
      ++removed;
    }
  for (xmlNode* node : doomed) {
    xmlUnlinkNode(node);
    xmlFreeNode(node);
  }
  std::vector<xmlNode*> simple;
  collect_simple_fields(root, simple);  // children before parents: nested ones unwrap first
  for (xmlNode* node : simple) unwrap(node);
  return removed + simple.size();
}

}  // namespace mugai::sanitizers::ooxml
