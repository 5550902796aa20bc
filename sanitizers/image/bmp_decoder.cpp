#include <gdk-pixbuf/gdk-pixbuf.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "image/raster.h"

namespace mugai::sanitizers::image {
namespace {

struct SizeCheck {
  std::uint64_t max_pixels = 0;
  bool over_limit = false;
  int width = 0;
  int height = 0;
  std::vector<bool> rows_decoded;  // gdk-pixbuf hands back a truncated BMP without an error
};

// Which rows the loader has filled in: a BMP cut short leaves some untouched.
void on_area_updated(GdkPixbufLoader*, int, int y, int, int height, gpointer data) {
  auto* check = static_cast<SizeCheck*>(data);
  for (int row = std::max(y, 0); row < y + height && row < static_cast<int>(check->rows_decoded.size()); ++row)
    check->rows_decoded[static_cast<std::size_t>(row)] = true;
}

// gdk-pixbuf asks before it allocates the pixel buffer: a size of 0 x 0 makes the BMP loader
// stop without allocating (a header may claim billions of pixels).
void on_size_prepared(GdkPixbufLoader* loader, int width, int height, gpointer data) {
  auto* check = static_cast<SizeCheck*>(data);
  check->width = width;
  check->height = height;
  if (width <= 0 || height <= 0 ||
      static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > check->max_pixels) {
    check->over_limit = width > 0 && height > 0;
    gdk_pixbuf_loader_set_size(loader, 0, 0);
    return;
  }
  check->rows_decoded.assign(static_cast<std::size_t>(height), false);
}

std::string message_of(GError* error) {
  std::string text = error && error->message ? error->message : "gdk-pixbuf error";
  if (error) g_error_free(error);
  return text;
}

}  // namespace

bool looks_like_bmp(std::string_view bytes) { return bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M'; }

RasterResult decode_bmp(std::string_view bytes, std::uint64_t max_pixels) {
  RasterResult out;
  // gdk-pixbuf sizes its header and palette buffers from these two fields before it asks about
  // the picture's size (fuzz_image: a 4 GB "header" from 57 bytes). A real BMP has one of the
  // known header sizes and its pixels start inside the file.
  const auto u32 = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return value;
  };
  if (bytes.size() < 26) {
    out.error = "too short for a BMP header";
    return out;
  }
  const std::uint32_t header_size = u32(14);
  const std::uint32_t pixels_at = u32(10);
  constexpr std::uint32_t kHeaderSizes[] = {12, 40, 52, 56, 64, 108, 124};
  if (std::find(std::begin(kHeaderSizes), std::end(kHeaderSizes), header_size) == std::end(kHeaderSizes) ||
      pixels_at < 14 + header_size || pixels_at > bytes.size()) {
    out.error = "implausible BMP header (header size " + std::to_string(header_size) + ", pixels at " +
                std::to_string(pixels_at) + " of " + std::to_string(bytes.size()) + " bytes)";
    return out;
  }
  GError* error = nullptr;
  std::unique_ptr<GdkPixbufLoader, void (*)(gpointer)> loader(gdk_pixbuf_loader_new_with_type("bmp", &error),
                                                               g_object_unref);
  if (!loader) {
    out.error = "no BMP decoder: " + message_of(error);
    return out;
  }
  SizeCheck check;
  check.max_pixels = max_pixels;
  g_signal_connect(loader.get(), "size-prepared", G_CALLBACK(on_size_prepared), &check);
  g_signal_connect(loader.get(), "area-updated", G_CALLBACK(on_area_updated), &check);
  const bool written = gdk_pixbuf_loader_write(loader.get(), reinterpret_cast<const guchar*>(bytes.data()),
                                               bytes.size(), &error);
  std::string write_error = written ? "" : message_of(error);
  error = nullptr;
  const bool closed = gdk_pixbuf_loader_close(loader.get(), &error);
  std::string close_error = closed ? "" : message_of(error);
  if (check.over_limit) {
    out.over_limit = true;
    out.error = std::to_string(check.width) + "x" + std::to_string(check.height);
    return out;
  }
  GdkPixbuf* pixbuf = gdk_pixbuf_loader_get_pixbuf(loader.get());  // owned by the loader
  if (!written || !closed || pixbuf == nullptr) {
    out.error = !write_error.empty() ? write_error : !close_error.empty() ? close_error : "no picture in the BMP";
    return out;
  }
  if (check.rows_decoded.empty() ||
      std::find(check.rows_decoded.begin(), check.rows_decoded.end(), false) != check.rows_decoded.end()) {
    out.error = "the pixel data ends before the last row";
    return out;
  }
  if (gdk_pixbuf_get_colorspace(pixbuf) != GDK_COLORSPACE_RGB || gdk_pixbuf_get_bits_per_sample(pixbuf) != 8) {
    out.error = "unexpected pixel layout";
    return out;
  }
  const int width = gdk_pixbuf_get_width(pixbuf);
  const int height = gdk_pixbuf_get_height(pixbuf);
  const int channels = gdk_pixbuf_get_n_channels(pixbuf);
  const int stride = gdk_pixbuf_get_rowstride(pixbuf);
  const guchar* pixels = gdk_pixbuf_read_pixels(pixbuf);
  if (width <= 0 || height <= 0 || (channels != 3 && channels != 4) || pixels == nullptr) {
    out.error = "unexpected pixel layout";
    return out;
  }
  out.raster.width = width;
  out.raster.height = height;
  out.raster.channels = channels;
  // Packed rows: the pixbuf's rows may be padded to its rowstride.
  const std::size_t row_bytes = static_cast<std::size_t>(width) * static_cast<std::size_t>(channels);
  out.raster.pixels.resize(row_bytes * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y)
    std::copy_n(pixels + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride), row_bytes,
                out.raster.pixels.data() + static_cast<std::size_t>(y) * row_bytes);
  out.ok = true;
  return out;
}

}  // namespace mugai::sanitizers::image
