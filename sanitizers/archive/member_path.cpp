#include "archive/member_path.h"

#include <cctype>

#include "mugai/charset/charset.h"

namespace mugai::sanitizers::archive {
namespace {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string decode_member_name(std::string_view raw, std::vector<Finding>& findings) {
  if (charset::is_valid_utf8(raw)) return std::string(raw);
  // Windows (Explorer, Lhaplus, 7-Zip's default) stores Japanese names in CP932 without the
  // UTF-8 flag. ICU's CP932 knows NEC/IBM extensions (① ㈱ 髙) that glibc iconv garbles.
  const charset::Decoded decoded = charset::to_utf8(raw, "cp932");
  findings.push_back({"archive.name-cp932", "member name stored in CP932: read as " + decoded.utf8});
  return decoded.utf8;
}

std::string relative_member_path(std::string_view utf8_path, std::vector<Finding>& findings) {
  std::string path(utf8_path);
  for (char& c : path)
    if (c == '\\') c = '/';
  bool absolute = !path.empty() && path.front() == '/';
  if (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':') {
    absolute = true;
    path.erase(0, 2);
  }
  std::vector<std::string> kept;
  bool traversal = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string segment = path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      traversal = true;
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  if (absolute)
    findings.push_back({"archive.absolute-path", "absolute path '" + std::string(utf8_path) + "' made relative"});
  if (traversal)
    findings.push_back({"archive.path-traversal", "'..' in '" + std::string(utf8_path) + "' removed"});
  std::string out;
  for (const std::string& segment : kept) out += (out.empty() ? "" : "/") + segment;
  return out;
}

std::string UniqueNames::claim(const std::string& path) {
  if (taken_.insert(lower_ascii(path)).second) return path;
  const std::size_t slash = path.rfind('/');
  const std::size_t dot = path.rfind('.');
  const bool has_extension = dot != std::string::npos && dot > (slash == std::string::npos ? 0 : slash + 1);
  const std::string stem = has_extension ? path.substr(0, dot) : path;
  const std::string extension = has_extension ? path.substr(dot) : "";
  for (int n = 2;; ++n) {
    std::string candidate = stem + " (" + std::to_string(n) + ")" + extension;
    if (taken_.insert(lower_ascii(candidate)).second) return candidate;
  }
}

}  // namespace mugai::sanitizers::archive
