// The main-part content types of OOXML documents: which application family, whether the type
// is macro-enabled, and the macro-free type, MIME type and extension it becomes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mugai::sanitizers::ooxml {

enum class MainKind {
  document,  // can be rewritten without macros
  addin,     // .xlam/.ppam: nothing but a macro container
  binary,    // .xlsb: binary records mugai does not inspect
};

struct MainType {
  MainKind kind = MainKind::document;
  bool macro_enabled = false;
  std::string_view family;            // "word", "excel", "powerpoint"
  std::string_view clean_type;        // macro-free main part content type, exact case
  std::string_view mime;              // MIME type of the macro-free file
  std::string_view extension;         // of the macro-free file, without dot
  std::string_view source_extension;  // of the input type ("docm", "xlsx", ...)
};

// nullopt when the content type is not the main part of a known OOXML document type.
std::optional<MainType> main_type(std::string_view lower_content_type);

// "報告書.docm" -> "報告書.docx"; names without a dot get one. "" stays "".
std::string with_extension(std::string_view filename, std::string_view extension);

}  // namespace mugai::sanitizers::ooxml
