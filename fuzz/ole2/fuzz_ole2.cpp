// Fuzzes the ole2 module's detection and strip-active (never convert/flatten: no LibreOffice in
// fuzzing). Oracles beyond "no crash": a removal carries findings and no bytes; a sanitised
// compound file parses again, and sanitising it again finds no VBA or embedded object.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ole2/ole2_sanitizer.h"

namespace {

mugai::Part part_of(std::string_view bytes) {
  mugai::Part part;
  part.bytes = bytes;
  part.filename = "fuzz.doc";
  part.detected.cls = mugai::TypeClass::ole2;
  part.detected.mime = "application/msword";
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mugai::sanitizers::ole2::Ole2Sanitizer module;
  const mugai::Outcome out = module.run(part_of(bytes), "strip-active", {}, context);
  if (out.action == mugai::Action::removed) {
    if (out.findings.empty() || !out.bytes.empty()) std::abort();
    return 0;
  }
  if (out.action != mugai::Action::sanitized || out.bytes.empty()) std::abort();
  const mugai::Outcome again = module.run(part_of(out.bytes), "strip-active", {}, context);
  if (again.action != mugai::Action::sanitized) std::abort();
  for (const mugai::Finding& finding : again.findings)
    if (finding.code == "ole2.vba" || finding.code == "ole2.embedded-object") std::abort();
  return 0;
}
