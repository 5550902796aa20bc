// The heart of mugai (DESIGN.md §2): a pure function from input bytes to sanitised bytes plus a
// report. No sockets, no globals, no files: every front end (CLI, SMTP, file proxy, fuzzers,
// workers) calls this. The only clock is the deadline for Limits::max_seconds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/core/report.h"

namespace mugai::core {

enum class InputKind { message, file };

struct Request {
  std::string_view input;
  InputKind kind = InputKind::message;
  std::string filename;  // file mode: the name the file came with (hostile, cleaned inside)
  // The SHA-256 (hex) of input when the caller has it already (the SMTP daemon hashes every
  // message for its audit line and quarantine); empty: computed here.
  std::string input_sha256;
  // PPAP release (`mugai quarantine release --password-file`): passwords tried on encrypted
  // archives. Never written to reports or logs.
  std::vector<std::string> archive_passwords;
};

struct Result {
  bool delivered = false;  // false: rejected as a whole (or temp-failed), `output` is empty
  // A check the profile requires could not be made (malware scanner unreachable): nothing is
  // delivered and the report verdict is "tempfail" (SMTP 451; the sender retries later).
  bool tempfail = false;
  std::string output;      // message: the rebuilt MIME message; file: the sanitised file bytes
  std::string output_filename;  // file mode: the cleaned (possibly renamed) file name
  Report report;
};

Result sanitise(const Request& request, const Config& config, const Profile& profile);

}  // namespace mugai::core
