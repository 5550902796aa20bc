#include "ooxml/office_types.h"

#include <array>

namespace mugai::sanitizers::ooxml {
namespace {

struct TypeRow {
  std::string_view content_type;  // lower case
  MainType type;
};

constexpr std::string_view kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
constexpr std::string_view kDotx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
constexpr std::string_view kXltx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml";
constexpr std::string_view kPptx =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
constexpr std::string_view kPotx =
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml";
constexpr std::string_view kPpsx =
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml";

constexpr std::string_view kDocxMime =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kDotxMime =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template";
constexpr std::string_view kXlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kXltxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.template";
constexpr std::string_view kPptxMime =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";
constexpr std::string_view kPotxMime =
    "application/vnd.openxmlformats-officedocument.presentationml.template";
constexpr std::string_view kPpsxMime =
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow";

constexpr MainType doc(bool macro, std::string_view family, std::string_view clean, std::string_view mime,
                       std::string_view ext, std::string_view source_ext) {
  return MainType{MainKind::document, macro, family, clean, mime, ext, source_ext};
}

constexpr std::array kRows{
    TypeRow{kDocx, doc(false, "word", kDocx, kDocxMime, "docx", "docx")},
    TypeRow{kDotx, doc(false, "word", kDotx, kDotxMime, "dotx", "dotx")},
    TypeRow{"application/vnd.ms-word.document.macroenabled.main+xml",
            doc(true, "word", kDocx, kDocxMime, "docx", "docm")},
    TypeRow{"application/vnd.ms-word.template.macroenabledtemplate.main+xml",
            doc(true, "word", kDotx, kDotxMime, "dotx", "dotm")},
    TypeRow{kXlsx, doc(false, "excel", kXlsx, kXlsxMime, "xlsx", "xlsx")},
    TypeRow{kXltx, doc(false, "excel", kXltx, kXltxMime, "xltx", "xltx")},
    TypeRow{"application/vnd.ms-excel.sheet.macroenabled.main+xml",
            doc(true, "excel", kXlsx, kXlsxMime, "xlsx", "xlsm")},
    TypeRow{"application/vnd.ms-excel.template.macroenabled.main+xml",
            doc(true, "excel", kXltx, kXltxMime, "xltx", "xltm")},
    TypeRow{kPptx, doc(false, "powerpoint", kPptx, kPptxMime, "pptx", "pptx")},
    TypeRow{kPotx, doc(false, "powerpoint", kPotx, kPotxMime, "potx", "potx")},
    TypeRow{kPpsx, doc(false, "powerpoint", kPpsx, kPpsxMime, "ppsx", "ppsx")},
    TypeRow{"application/vnd.ms-powerpoint.presentation.macroenabled.main+xml",
            doc(true, "powerpoint", kPptx, kPptxMime, "pptx", "pptm")},
    TypeRow{"application/vnd.ms-powerpoint.template.macroenabled.main+xml",
            doc(true, "powerpoint", kPotx, kPotxMime, "potx", "potm")},
    TypeRow{"application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml",
            doc(true, "powerpoint", kPpsx, kPpsxMime, "ppsx", "ppsm")},
    TypeRow{"application/vnd.ms-excel.addin.macroenabled.main+xml",
            MainType{MainKind::addin, true, "excel", "", "", "", "xlam"}},
    TypeRow{"application/vnd.ms-powerpoint.addin.macroenabled.main+xml",
            MainType{MainKind::addin, true, "powerpoint", "", "", "", "ppam"}},
    TypeRow{"application/vnd.ms-excel.sheet.binary.macroenabled.main",
            MainType{MainKind::binary, true, "excel", "", "", "", "xlsb"}},
};

}  // namespace

std::optional<MainType> main_type(std::string_view lower_content_type) {
  for (const TypeRow& row : kRows)
    if (row.content_type == lower_content_type) return row.type;
  return std::nullopt;
}

std::string with_extension(std::string_view filename, std::string_view extension) {
  if (filename.empty()) return "";
  const std::size_t dot = filename.rfind('.');
  const std::size_t slash = filename.find_last_of("/\\");
  const bool has_extension =
      dot != std::string_view::npos && dot > 0 && (slash == std::string_view::npos || dot > slash);
  const std::string_view stem = has_extension ? filename.substr(0, dot) : filename;
  return std::string(stem) + "." + std::string(extension);
}

}  // namespace mugai::sanitizers::ooxml
