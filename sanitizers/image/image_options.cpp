#include "image/image_options.h"

#include <charconv>

namespace mugai::sanitizers::image {
namespace {

std::optional<std::uint64_t> number(const std::string& text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ImageOptions> parse_options(const ModuleOptions& options, std::string& problem) {
  ImageOptions out;
  for (const auto& [key, value] : options) {
    bool ok = true;
    if (key == "format") {
      if (value == "auto") out.format = OutputFormat::automatic;
      else if (value == "png") out.format = OutputFormat::png;
      else if (value == "jpeg") out.format = OutputFormat::jpeg;
      else ok = false;
    } else if (key == "max_pixels") {
      const auto parsed = number(value, 1, 1'000'000'000);
      ok = parsed.has_value();
      if (ok) out.max_pixels = *parsed;
    } else if (key == "frames") {
      if (value == "first") out.all_frames = false;
      else if (value == "all") out.all_frames = true;
      else ok = false;
    } else if (key == "svg") {
      if (value == "remove") out.rasterize_svg = false;
      else if (value == "rasterize") out.rasterize_svg = true;
      else ok = false;
    } else if (key == "jpeg_quality") {
      const auto parsed = number(value, 1, 100);
      ok = parsed.has_value();
      if (ok) out.jpeg_quality = static_cast<std::uint32_t>(*parsed);
    } else {
      problem = "unknown image option '" + key + "'";
      return std::nullopt;
    }
    if (!ok) {
      problem = "bad value '" + value + "' for image option '" + key + "'";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace mugai::sanitizers::image
