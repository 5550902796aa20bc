// Runs `soffice --headless --convert-to` on bytes and returns the converted bytes.
// The document is hostile, so LibreOffice runs as a subprocess: exec'd directly (no shell),
// in its own process group (the whole group is killed at the deadline: soffice is a script
// that starts oosplash and soffice.bin), with a private, freshly created profile
// (-env:UserInstallation) and temp dir that are deleted afterwards, a minimal environment,
// stdin/stdout/stderr on /dev/null, and, where the kernel allows it, a new network namespace
// (no network). Macros are never run by --convert-to (LibreOffice's default macro security is
// "high" in a fresh profile, and conversion does not fire document events).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mugai::sanitizers::libreoffice {

struct Conversion {
  std::string_view input;
  std::string input_extension;   // "docx", "doc", ...: LibreOffice picks its import filter from it
  std::string target;            // --convert-to argument: "pdf", "docx:\"MS Word 2007 XML\"", ...
  std::string output_extension;  // extension of the file LibreOffice writes ("pdf", "docx")
  std::chrono::steady_clock::time_point deadline;
  std::uint64_t max_output_bytes = 0;
  std::string soffice = "/usr/bin/soffice";
};

enum class ConversionStatus { ok, failed, timed_out, too_large, unavailable };

struct ConversionResult {
  ConversionStatus status = ConversionStatus::failed;
  std::string bytes;
  std::string detail;  // for reports when not ok
};

ConversionResult convert(const Conversion& request);

}  // namespace mugai::sanitizers::libreoffice
