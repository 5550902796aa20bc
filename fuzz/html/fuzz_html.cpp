// Fuzzes the html module. The first byte picks the declared charset and the defang option; the
// rest is the part. Oracles beyond "no crash": the verdict is converted (valid UTF-8 text/plain,
// at most 4x the input or 1 MB) or removed with a finding; and the text module finds nothing
// left to change in converted output.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "html/html_sanitizer.h"
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

constexpr std::string_view kLabels[] = {"", "utf-8", "iso-2022-jp", "shift_jis", "euc-jp", "x-unknown"};

mugai::Part part_of(std::string_view bytes, std::string_view label, mugai::TypeClass cls) {
  mugai::Part part;
  part.bytes = bytes;
  part.declared_charset = std::string(label);
  part.detected.cls = cls;
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const std::string_view label = kLabels[data[0] % std::size(kLabels)];
  mugai::ModuleOptions options;
  if (data[0] & 0x80) options["defang_urls"] = "true";
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  const mugai::Outcome out =
      mugai::sanitizers::html::HtmlSanitizer().run(part_of(bytes, label, mugai::TypeClass::html), "to-text", options, context);
  if (out.action == mugai::Action::removed) {
    if (out.findings.empty() || !out.bytes.empty()) std::abort();
    return 0;
  }
  if (out.action != mugai::Action::converted) std::abort();
  if (!valid_utf8(out.bytes) || out.content_type != "text/plain") std::abort();
  if (out.bytes.size() > std::max<std::size_t>(4 * bytes.size(), 1 << 20)) std::abort();

  const mugai::Outcome again = mugai::sanitizers::text::TextSanitizer().run(
      part_of(out.bytes, "utf-8", mugai::TypeClass::text), "keep", options, context);
  if (again.action != mugai::Action::kept || again.bytes != out.bytes || !again.extracted.empty()) std::abort();
  return 0;
}
