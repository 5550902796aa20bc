// Decoders for the two formats libvips reads only through loaders mugai blocks as untrusted
// (ImageMagick for BMP, librsvg-in-libvips for SVG): BMP through gdk-pixbuf's BMP loader only,
// SVG rendered by librsvg without any external resource. Both hand back plain RGBA pixels that
// reencode.cpp writes as PNG/JPEG, so nothing of the input file crosses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::sanitizers::image {

struct Raster {
  int width = 0;
  int height = 0;
  int channels = 4;                 // 3: RGB, 4: RGBA (not premultiplied)
  std::vector<unsigned char> pixels;  // width * height * channels, row by row
};

struct RasterResult {
  bool ok = false;
  bool over_limit = false;  // width x height beyond max_pixels: nothing was decoded
  std::string error;        // why not, for the report (ok == false)
  Raster raster;
};

// True for the BMP signature "BM": such input never reaches libvips' loaders.
bool looks_like_bmp(std::string_view bytes);

// Header fields gdk-pixbuf sizes buffers from are checked first (known header size, pixel data
// inside the file); then width x height against max_pixels before the pixel buffer exists.
RasterResult decode_bmp(std::string_view bytes, std::uint64_t max_pixels);

// The SVG's own size (width/height, else its viewBox) decides the pixel size, checked against
// max_pixels before anything is drawn.
RasterResult rasterize_svg(std::string_view bytes, std::uint64_t max_pixels);

}  // namespace mugai::sanitizers::image
