// Fuzzes the text module. The first byte picks the declared charset and the defang option; the
// rest is the part. Oracles beyond "no crash": the verdict is kept or sanitized, the text is
// valid UTF-8 without control characters, and sanitising the result again changes nothing
// (no second uuencoded block, no second defang, no leftover control).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/text_sanitizer.h"
#include "text/utf8_scan.h"

namespace {

bool valid_utf8(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = mugai::sanitizers::text::decode_at(text, pos);
    if (!cp.valid) return false;
    pos += cp.length;
  }
  return true;
}

constexpr std::string_view kLabels[] = {"", "utf-8", "us-ascii", "iso-2022-jp", "shift_jis", "euc-jp", "x-unknown", "utf-16"};

bool free_of_controls(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = mugai::sanitizers::text::decode_at(text, pos);
    if (!cp.valid || mugai::sanitizers::text::is_removed_control(cp.value)) return false;
    pos += cp.length;
  }
  return true;
}

mugai::Outcome sanitise(std::string_view bytes, std::string_view label, const mugai::ModuleOptions& options) {
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  mugai::Part part;
  part.bytes = bytes;
  part.declared_charset = std::string(label);
  part.declared_type = "text/plain";
  part.detected.cls = mugai::TypeClass::text;
  return mugai::sanitizers::text::TextSanitizer().run(part, "keep", options, context);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view label = kLabels[data[0] % std::size(kLabels)];
  mugai::ModuleOptions options;
  if (data[0] & 0x80) options["defang_urls"] = "true";
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  const mugai::Outcome first = sanitise(bytes, label, options);
  if (first.action != mugai::Action::kept && first.action != mugai::Action::sanitized) std::abort();
  if (!valid_utf8(first.bytes) || !free_of_controls(first.bytes)) std::abort();
  if (first.content_type != "text/plain" || first.charset != "utf-8") std::abort();

  const mugai::Outcome second = sanitise(first.bytes, "utf-8", options);
  if (second.action != mugai::Action::kept || second.bytes != first.bytes || !second.extracted.empty()) std::abort();
  return 0;
}
