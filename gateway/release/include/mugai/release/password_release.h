// PPAP release, shared by `mugai quarantine release` and the release pages: the quarantined
// original is sanitised again with the recipient's profile and one password, so an encrypted
// archive is opened and every member goes through the pipeline like any attachment (all limits
// still apply after decryption). That run happens in an isolated worker when a pool is installed
// (worker::install_pool: `mugai serve`, `mugai quarantine release`). The decrypted original never
// leaves the worker; only the sanitised result does. The password is never logged or reported.
#pragma once

#include <string>

#include "mugai/core/config.h"
#include "mugai/core/pipeline.h"
#include "mugai/core/quarantine.h"

namespace mugai::release {

enum class PasswordOutcome {
  opened,          // the password opened the archive; result is the sanitised message/file
  wrong_password,  // archive.password-incorrect
  not_encrypted,   // nothing in the entry needs a password
  unsupported,     // libarchive cannot decrypt this format (7z AES, RAR)
  rejected,        // the decrypted content is refused by the profile as a whole
  tempfail,        // a required check (malware scan) could not be made; try again later
};
std::string_view to_string(PasswordOutcome outcome);

struct PasswordRelease {
  PasswordOutcome outcome = PasswordOutcome::rejected;
  core::Result result;
  std::string profile;  // name of the profile used
  std::string reason;   // plain words for refusals
};

// The profile the entry was sanitised with (by name), else the one `select` gives today.
const core::Profile& profile_of(const core::Config& config, const core::QuarantineEntry& entry);

// True when the entry's report holds an encrypted archive (finding archive.encrypted).
bool holds_encrypted_archive(const core::QuarantineEntry& entry);

PasswordRelease sanitise_with_password(const core::Config& config, const core::QuarantineEntry& entry,
                                       const std::string& original, const std::string& password);

}  // namespace mugai::release
