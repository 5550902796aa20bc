#include "mugai/core/filename.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace mugai::core {
namespace {

bool is_bidi_control(UChar32 c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

// Characters Windows refuses in names, and path separators (directory traversal on save).
bool is_forbidden_ascii(UChar32 c) {
  return c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' ||
         c == '>' || c == '|';
}

void append_utf8(std::string& out, UChar32 c) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

std::vector<UChar32> code_points(std::string_view utf8, bool& had_invalid) {
  std::vector<UChar32> points;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), 1 << 20));
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      had_invalid = true;
      c = 0xFFFD;
    }
    points.push_back(c);
  }
  return points;
}

std::string to_utf8(const std::vector<UChar32>& points) {
  std::string out;
  for (UChar32 c : points) append_utf8(out, c);
  return out;
}

constexpr std::array<std::string_view, 21> kScriptExtensions{
    "bat", "cmd", "js",  "jse", "vbs", "vbe", "wsf", "wsh", "ws",  "ps1", "psm1",
    "hta", "sh",  "py",  "pl",  "reg", "chm", "one", "url", "scf", "inf"};
constexpr std::array<std::string_view, 2> kSvgExtensions{"svg", "svgz"};
constexpr std::array<std::string_view, 17> kExecutableExtensions{
    "exe", "scr", "com", "pif", "cpl", "dll", "msi", "msp", "msc", "lnk",
    "jar", "app", "apk", "gadget", "appx", "msix", "xll"};
constexpr std::array<std::string_view, 6> kDiskImageExtensions{"iso", "img", "vhd", "vhdx", "udf",
                                                               "dmg"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= name.size()) return {};
  std::string extension(name.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

CleanName clean_filename(std::string_view utf8_name, std::uint32_t max_chars) {
  CleanName result;
  bool had_invalid = false;
  std::vector<UChar32> points = code_points(utf8_name, had_invalid);
  if (had_invalid) result.findings.push_back({"name.invalid-utf8", "invalid bytes replaced"});

  std::size_t bidi = 0, controls = 0, forbidden = 0;
  std::vector<UChar32> kept;
  kept.reserve(points.size());
  for (UChar32 c : points) {
    if (is_bidi_control(c)) {
      ++bidi;
    } else if (u_iscntrl(c) || c == 0x7F || u_charType(c) == U_FORMAT_CHAR) {
      ++controls;
    } else if (is_forbidden_ascii(c)) {
      ++forbidden;
      kept.push_back('_');
    } else {
      kept.push_back(c);
    }
  }
  if (bidi)
    result.findings.push_back({"name.bidi-control",
                               std::to_string(bidi) + " bidirectional control character(s) removed"});
  if (controls)
    result.findings.push_back({"name.control-character",
                               std::to_string(controls) + " control/format character(s) removed"});
  if (forbidden)
    result.findings.push_back({"name.path-character",
                               std::to_string(forbidden) + " path or reserved character(s) replaced"});

  // Leading dots hide files; trailing dots and spaces are dropped by Windows, which turns
  // "evil.exe." into "evil.exe".
  // ".." in any position is a traversal attempt once separators are gone: keep single dots only.
  kept.erase(std::unique(kept.begin(), kept.end(), [](UChar32 a, UChar32 b) { return a == '.' && b == '.'; }),
             kept.end());
  while (!kept.empty() && (kept.front() == '.' || u_isspace(kept.front()))) kept.erase(kept.begin());
  while (!kept.empty() && (kept.back() == '.' || u_isspace(kept.back()))) kept.pop_back();

  if (kept.size() > max_chars) {
    std::string extension = extension_of(to_utf8(kept));
    std::size_t keep_tail = extension.empty() || extension.size() > 10 ? 0 : extension.size() + 1;
    keep_tail = std::min<std::size_t>(keep_tail, max_chars / 2);
    std::vector<UChar32> shortened(kept.begin(), kept.begin() + (max_chars - keep_tail));
    shortened.insert(shortened.end(), kept.end() - static_cast<std::ptrdiff_t>(keep_tail), kept.end());
    result.findings.push_back({"name.too-long", "name of " + std::to_string(kept.size()) +
                                                    " characters shortened to " +
                                                    std::to_string(max_chars)});
    kept = std::move(shortened);
  }
  result.name = to_utf8(kept);
  if (result.name.empty()) result.name = "attachment";
  return result;
}

TypeClass class_implied_by_name(std::string_view clean_name, std::vector<Finding>& findings) {
  const std::string extension = extension_of(clean_name);
  TypeClass implied = TypeClass::unknown;
  if (contains(kExecutableExtensions, extension))
    implied = TypeClass::executable;
  else if (contains(kScriptExtensions, extension))
    implied = TypeClass::script;
  else if (contains(kSvgExtensions, extension))
    implied = TypeClass::svg;
  else if (contains(kDiskImageExtensions, extension))
    implied = TypeClass::disk_image;
  if (implied == TypeClass::unknown) return implied;

  // "invoice.pdf.exe": a harmless-looking inner extension in front of a launcher.
  std::string_view stem = clean_name.substr(0, clean_name.size() - extension.size() - 1);
  if (!extension_of(stem).empty())
    findings.push_back({"name.double-extension",
                        "name ends in ." + extension + " behind ." + extension_of(stem)});
  findings.push_back({"name.dangerous-extension", "." + extension + " can run code when opened"});
  return implied;
}

}  // namespace mugai::core
