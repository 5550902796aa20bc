// The `options:` of a profile rule that selects the `image` module, parsed strictly (an unknown
// key or bad value removes the part with `bad rule options`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::image {

// automatic: a JPEG stays a JPEG (a photograph as PNG is 5-10x larger and slow to write),
// every other format becomes PNG (lossless in, lossless out).
enum class OutputFormat { automatic, png, jpeg };

struct ImageOptions {
  OutputFormat format = OutputFormat::automatic;
  std::uint64_t max_pixels = 50'000'000;  // width x height of the (first) frame, from the header
  std::uint32_t jpeg_quality = 90;        // JPEG output (format: jpeg, or auto for a JPEG)
  bool all_frames = false;                // frames: all -> animated GIFs stay animated (as GIF)
  bool rasterize_svg = false;             // svg: rasterize -> drawn by librsvg, written as PNG/JPEG
};

std::optional<ImageOptions> parse_options(const ModuleOptions& options, std::string& problem);

}  // namespace mugai::sanitizers::image
