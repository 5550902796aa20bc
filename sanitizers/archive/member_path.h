// Member paths are attacker-chosen. Before a path reaches the pipeline (which cleans each
// segment like an attachment name) it is decoded to UTF-8 and made relative: no absolute path,
// no drive letter, no "..", no backslash separators (Zip Slip: "../../etc/cron.d/x" written by
// a careless extractor on the recipient's side). Duplicate names (also differing only in case,
// as Windows sees them) get " (2)" before the extension.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::archive {

// UTF-8 as stored, or CP932 (Windows Explorer's ZIPs without the UTF-8 flag) decoded with ICU.
// `findings` gets archive.name-cp932 when the name had to be decoded.
std::string decode_member_name(std::string_view raw, std::vector<Finding>& findings);

// "a/./b/../../c" -> "c" etc.; reports what was dropped (archive.path-traversal,
// archive.absolute-path). An empty result is "".
std::string relative_member_path(std::string_view utf8_path, std::vector<Finding>& findings);

class UniqueNames {
 public:
  // The name itself, or "name (2).ext" when it (case-insensitively) was taken already.
  std::string claim(const std::string& path);

 private:
  std::set<std::string> taken_;  // lower-cased ASCII
};

}  // namespace mugai::sanitizers::archive
