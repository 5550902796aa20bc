// Fuzzes the pdf module's strip-active (never flatten: no subprocesses in fuzzing). Oracles
// beyond "no crash": a removal carries findings and no bytes; a sanitised PDF is not larger than
// the output bound, and sanitising it again succeeds (usually `kept`) and finds nothing more to
// remove.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pdf/pdf_sanitizer.h"

namespace {

mugai::Part part_of(std::string_view bytes) {
  mugai::Part part;
  part.bytes = bytes;
  part.filename = "fuzz.pdf";
  part.detected.mime = "application/pdf";
  part.detected.cls = mugai::TypeClass::pdf;
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mugai::sanitizers::pdf::PdfSanitizer module;
  const mugai::ModuleOptions options{{"encrypted", "sanitize"}, {"max_objects", "100000"}};
  const mugai::Outcome out = module.run(part_of(bytes), "strip-active", options, context);
  if (out.action == mugai::Action::removed || out.action == mugai::Action::held) {
    if (out.findings.empty() || !out.bytes.empty()) std::abort();
    return 0;
  }
  if (out.action != mugai::Action::sanitized || out.bytes.empty() || out.bytes.size() > limits.max_decoded_bytes)
    std::abort();
  const mugai::Outcome again = module.run(part_of(out.bytes), "strip-active", options, context);
  if (again.action != mugai::Action::sanitized && again.action != mugai::Action::kept) std::abort();
  for (const mugai::Finding& finding : again.findings)
    if (finding.code != "pdf.repaired") std::abort();
  return 0;
}
