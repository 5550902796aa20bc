#include "office_package.h"

#include <algorithm>
#include <array>
#include <string>

namespace mugai::core {
namespace {

bool has(std::string_view bytes, std::string_view needle) {
  return std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end();
}

struct Family {
  std::string_view main_part;  // as stored in the zip directory
  std::string_view mime;
  std::string_view description;
};

constexpr std::array kFamilies{
    Family{"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "Word OOXML package (member order libmagic does not recognise)"},
    Family{"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "Excel OOXML package (member order libmagic does not recognise)"},
    Family{"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           "PowerPoint OOXML package (member order libmagic does not recognise)"},
};

}  // namespace

std::optional<FileType> unnamed_ooxml_package(std::string_view bytes) {
  if (!bytes.starts_with("PK\x03\x04") || !has(bytes, "[Content_Types].xml")) return std::nullopt;
  for (const Family& family : kFamilies) {
    if (!has(bytes, family.main_part)) continue;
    FileType type;
    type.mime = std::string(family.mime);
    type.description = std::string(family.description);
    type.cls = TypeClass::ooxml;
    return type;
  }
  return std::nullopt;
}

}  // namespace mugai::core
