#include "archive/archive_options.h"

namespace mugai::sanitizers::archive {

std::optional<ArchiveOptions> parse_options(const ModuleOptions& options, std::string& problem) {
  ArchiveOptions parsed;
  for (const auto& [key, value] : options) {
    if (key == "encrypted") {
      if (value == "hold") parsed.encrypted = EncryptedPolicy::hold;
      else if (value == "remove") parsed.encrypted = EncryptedPolicy::remove;
      else if (value == "reject-message") parsed.encrypted = EncryptedPolicy::reject_message;
      else problem = "option encrypted: '" + value + "' (hold, remove or reject-message)";
    } else if (key == "repack") {
      if (value == "zip") parsed.repack = Repack::zip;
      else if (value == "attach") parsed.repack = Repack::attach;
      else problem = "option repack: '" + value + "' (zip or attach)";
    } else {
      problem = "unknown option '" + key + "' (encrypted, repack)";
    }
    if (!problem.empty()) return std::nullopt;
  }
  return parsed;
}

}  // namespace mugai::sanitizers::archive
