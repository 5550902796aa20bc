// Attachment names are attacker-chosen. Before a name is written anywhere it is cleaned, and the
// name alone can make a part stricter (a .bat is a script whatever libmagic says), never looser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::core {

struct CleanName {
  std::string name;               // safe to show and to write as a file name
  std::vector<Finding> findings;  // what was removed or shortened
};

// Removes bidi controls (U+202E "abc<RLO>fdp.exe" attacks), other controls, path separators and
// characters Windows refuses; trims dots and spaces; shortens to max_chars keeping the
// extension; invalid UTF-8 is replaced. An empty result becomes "attachment".
CleanName clean_filename(std::string_view utf8_name, std::uint32_t max_chars);

// The class a name's final extension implies when it can launch code on Windows: script
// (.bat .js .vbs .ps1 .hta ...), executable (.exe .scr .com .msi .lnk ...), disk_image (.iso
// .img .vhd), or unknown when the name implies nothing dangerous. Adds "name.double-extension"
// for names like invoice.pdf.exe.
TypeClass class_implied_by_name(std::string_view clean_name, std::vector<Finding>& findings);

// Lower-case final extension without the dot ("pdf"), or "".
std::string extension_of(std::string_view name);

}  // namespace mugai::core
