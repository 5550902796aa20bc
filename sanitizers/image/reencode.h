// `re-encode` through libvips: the header is read first (no pixels decoded) to check the loader
// against the allow-list (JPEG, PNG, GIF, TIFF, WebP) and width x height against max_pixels; only
// then are the pixels of the first frame/page decoded (sequential access, fail on the first
// error) and written as PNG or JPEG with every metadata field stripped. Nothing of the input
// container survives: no EXIF/XMP/IPTC/ICC, no comments or text chunks, no appended data, no
// further frames.
// libvips is set up once per process: untrusted loaders blocked (vips_block_untrusted_set: SVG,
// PDF, ImageMagick, ...), no operation cache, one worker thread per pipeline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "image/image_options.h"
#include "image/raster.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::image {

struct ReencodeResult {
  bool ok = false;
  std::string bytes;
  std::string mime;
  std::string extension;  // without dot
  std::string reason;
  std::vector<Finding> findings;
};

ReencodeResult reencode(std::string_view bytes, const ImageOptions& options, const Context& context);

// Pixels decoded elsewhere (raster.h: BMP, SVG) written the same way; `label` names the input
// format in the reason, `findings` come first in the result.
ReencodeResult reencode_raster(const Raster& raster, std::string_view label, const ImageOptions& options,
                               const Context& context, std::vector<Finding> findings);

}  // namespace mugai::sanitizers::image
