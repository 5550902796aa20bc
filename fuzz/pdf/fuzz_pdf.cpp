// Fuzzes the pdf module's strip-active (never flatten: no subprocesses in fuzzing). Oracles
// beyond "no crash": a removal carries findings and no bytes; a sanitised PDF is not larger than
// the output bound, and sanitising it again succeeds (usually `kept`) and finds nothing more to
// remove.
#include <chrono>
#include <cstdint>
#include <cstdio>
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

// Says which oracle broke and what the module reported, so a crash file explains itself.
[[noreturn]] void fail(const char* oracle, const mugai::Outcome& out) {
  std::fprintf(stderr, "fuzz_pdf: %s (action %d, %zu bytes)\n", oracle, static_cast<int>(out.action),
               out.bytes.size());
  for (const mugai::Finding& finding : out.findings)
    std::fprintf(stderr, "  finding %s: %s\n", finding.code.c_str(), finding.detail.c_str());
  std::abort();
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
    if (out.findings.empty() || !out.bytes.empty()) fail("removal without findings or with bytes", out);
    return 0;
  }
  if (out.action != mugai::Action::sanitized || out.bytes.empty() || out.bytes.size() > limits.max_decoded_bytes)
    fail("first pass: not a bounded sanitised PDF", out);
  const mugai::Outcome again = module.run(part_of(out.bytes), "strip-active", options, context);
  if (again.action != mugai::Action::sanitized && again.action != mugai::Action::kept)
    fail("second pass refused our own output", again);
  for (const mugai::Finding& finding : again.findings)
    if (finding.code != "pdf.repaired") fail("second pass still found something to remove", again);
  return 0;
}
