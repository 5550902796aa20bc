#include "pdf/pdf_options.h"

#include <charconv>

namespace mugai::sanitizers::pdf {
namespace {

std::optional<std::uint64_t> number(const std::string& text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) return std::nullopt;
  return value;
}

std::optional<bool> boolean(const std::string& text) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  return std::nullopt;
}

}  // namespace

std::optional<PdfOptions> parse_options(const ModuleOptions& options, std::string& problem) {
  PdfOptions out;
  for (const auto& [key, value] : options) {
    bool ok = true;
    if (key == "keep_links") {
      const auto parsed = boolean(value);
      ok = parsed.has_value();
      if (ok) out.keep_links = *parsed;
    } else if (key == "encrypted") {
      if (value == "remove") out.encrypted = EncryptedPolicy::remove;
      else if (value == "hold") out.encrypted = EncryptedPolicy::hold;
      else if (value == "sanitize") out.encrypted = EncryptedPolicy::sanitize;
      else ok = false;
    } else if (key == "max_objects") {
      const auto parsed = number(value, 1, 100'000'000);
      ok = parsed.has_value();
      if (ok) out.max_objects = *parsed;
    } else if (key == "dpi") {
      const auto parsed = number(value, 36, 600);
      ok = parsed.has_value();
      if (ok) out.dpi = static_cast<std::uint32_t>(*parsed);
    } else if (key == "max_pages") {
      const auto parsed = number(value, 1, 10'000);
      ok = parsed.has_value();
      if (ok) out.max_pages = static_cast<std::uint32_t>(*parsed);
    } else if (key == "pdftoppm") {
      ok = !value.empty() && value.front() == '/';
      if (ok) out.pdftoppm = value;
    } else {
      problem = "unknown pdf option '" + key + "'";
      return std::nullopt;
    }
    if (!ok) {
      problem = "bad value '" + value + "' for pdf option '" + key + "'";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace mugai::sanitizers::pdf
