// The rule options of the `archive` module (config/REFERENCE.md, profile rules `options:`).
#pragma once

#include <optional>
#include <string>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::archive {

enum class EncryptedPolicy { hold, remove, reject_message };
enum class Repack { zip, attach };

struct ArchiveOptions {
  EncryptedPolicy encrypted = EncryptedPolicy::hold;  // `encrypted: hold|remove|reject-message`
  Repack repack = Repack::zip;                        // `repack: zip|attach`
};

// nullopt and `problem` set for an unknown key or value: the part is removed (fail closed).
std::optional<ArchiveOptions> parse_options(const ModuleOptions& options, std::string& problem);

}  // namespace mugai::sanitizers::archive
