#include "ole2/office_scan.h"

#include <algorithm>
#include <cctype>

namespace mugai::sanitizers::ole2 {
namespace {

std::string folded(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_vba_entry(const Entry& entry) {
  const std::string name = folded(entry.name);
  if (entry.storage) return name == "macros" || name == "_vba_project_cur" || name == "vba";
  return name == "_vba_project" || (name == "dir" && entry.path.find('/') != std::string::npos &&
                                    folded(entry.path).find("vba/dir") != std::string::npos);
}

// One embedded object, for the report: a storage inside Word's ObjectPool, an Excel "MBD..."
// storage, or a loose Ole10Native stream. The root's own "\x01Ole" stream is in every file.
bool is_object_entry(const Entry& entry) {
  const std::string name = folded(entry.name);
  const std::string path = folded(entry.path);
  if (entry.storage)
    return (entry.depth == 1 && path.starts_with("objectpool/")) ||
           (entry.depth == 0 && name.starts_with("mbd"));
  return name == "\x01ole10native" && !path.starts_with("objectpool/");
}

// What strip-active cuts out to remove embedded objects: the containers themselves.
bool is_object_container(const Entry& entry) {
  const std::string name = folded(entry.name);
  if (entry.storage) return (entry.depth == 0 && (name == "objectpool" || name.starts_with("mbd")));
  return name == "\x01ole10native";
}

}  // namespace

bool is_active_entry(const Entry& entry) { return is_vba_entry(entry) || is_object_container(entry); }

Scan scan_tree(const std::vector<Entry>& entries) {
  Scan scan;
  for (const Entry& entry : entries) {
    const std::string name = folded(entry.name);
    if (entry.depth == 0 && !entry.storage) {
      if (name == "worddocument") scan.kind = OfficeKind::word;
      if ((name == "workbook" || name == "book") && scan.kind == OfficeKind::none)
        scan.kind = OfficeKind::excel;
      if (name == "powerpoint document") scan.kind = OfficeKind::powerpoint;
      if (name == "encryptedpackage" || name == "encryptioninfo") scan.encrypted = true;
    }
    if (is_vba_entry(entry)) scan.vba_paths.push_back(entry.path);
    if (is_object_entry(entry)) scan.object_paths.push_back(entry.path);
  }
  return scan;
}

std::string_view kind_noun(OfficeKind kind) {
  switch (kind) {
    case OfficeKind::word:
      return "Word document";
    case OfficeKind::excel:
      return "Excel workbook";
    case OfficeKind::powerpoint:
      return "PowerPoint presentation";
    case OfficeKind::none:
      break;
  }
  return "compound file";
}

std::string_view kind_extension(OfficeKind kind) {
  switch (kind) {
    case OfficeKind::word:
      return "doc";
    case OfficeKind::excel:
      return "xls";
    case OfficeKind::powerpoint:
      return "ppt";
    case OfficeKind::none:
      break;
  }
  return "bin";
}

std::string_view ooxml_extension(OfficeKind kind) {
  switch (kind) {
    case OfficeKind::word:
      return "docx";
    case OfficeKind::excel:
      return "xlsx";
    case OfficeKind::powerpoint:
      return "pptx";
    case OfficeKind::none:
      break;
  }
  return "";
}

}  // namespace mugai::sanitizers::ole2
