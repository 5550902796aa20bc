// The `image` module (TypeClass::image).
//   re-encode: JPEG, PNG, GIF (first frame), TIFF (first page) and WebP decoded by libvips and
//              written as PNG (default) or JPEG; verdict `converted` (the file name's extension
//              follows the new format). SVG, BMP and other formats are removed with a finding.
// Options (image_options.h): format (png|jpeg), max_pixels (50000000), jpeg_quality (90),
// frames (first|all: all keeps GIF animations, written as GIF).
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::image {

class ImageSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "image"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::image
