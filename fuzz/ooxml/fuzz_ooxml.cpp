// Fuzzes the ooxml module's strip-active (never flatten: no LibreOffice in fuzzing). Oracles
// beyond "no crash": a removal carries findings and no bytes; a sanitised package is smaller
// than the expansion bound and sanitising it again changes nothing and finds nothing.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ooxml/ooxml_sanitizer.h"

namespace {

mugai::Part part_of(std::string_view bytes) {
  mugai::Part part;
  part.bytes = bytes;
  part.filename = "fuzz.docm";
  part.detected.cls = mugai::TypeClass::ooxml;
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mugai::sanitizers::ooxml::OoxmlSanitizer module;
  const mugai::Outcome out = module.run(part_of(bytes), "strip-active", {}, context);
  if (out.action == mugai::Action::removed) {
    if (out.findings.empty() || !out.bytes.empty()) std::abort();
    return 0;
  }
  if (out.action != mugai::Action::sanitized || out.bytes.empty()) std::abort();
  const mugai::Outcome again = module.run(part_of(out.bytes), "strip-active", {}, context);
  if (again.action != mugai::Action::sanitized || !again.findings.empty() || again.bytes != out.bytes)
    std::abort();
  return 0;
}
