// SVG to pixels with librsvg. The handle has no base file, so librsvg loads no external
// resource (it resolves references only below a base file's directory); scripts are never run
// by librsvg; its XML parser keeps its safety limits (no RSVG_HANDLE_FLAG_UNLIMITED).
#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "image/raster.h"

namespace mugai::sanitizers::image {
namespace {

// Size for a document that gives only a viewBox (width/height default to 100%): its viewBox
// units taken as pixels, as browsers do for a standalone SVG.
bool pixel_size(RsvgHandle* handle, double& width, double& height) {
  if (rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height)) return true;
  gboolean has_viewbox = FALSE;
  RsvgRectangle viewbox{};
  rsvg_handle_get_intrinsic_dimensions(handle, nullptr, nullptr, nullptr, nullptr, &has_viewbox, &viewbox);
  if (!has_viewbox) return false;
  width = viewbox.width;
  height = viewbox.height;
  return true;
}

std::string message_of(GError* error) {
  std::string text = error && error->message ? error->message : "librsvg error";
  if (error) g_error_free(error);
  return text;
}

}  // namespace

RasterResult rasterize_svg(std::string_view bytes, std::uint64_t max_pixels) {
  RasterResult out;
  GError* error = nullptr;
  std::unique_ptr<GInputStream, void (*)(gpointer)> stream(
      g_memory_input_stream_new_from_data(bytes.data(), static_cast<gssize>(bytes.size()), nullptr), g_object_unref);
  std::unique_ptr<RsvgHandle, void (*)(gpointer)> handle(
      rsvg_handle_new_from_stream_sync(stream.get(), nullptr, RSVG_HANDLE_FLAGS_NONE, nullptr, &error), g_object_unref);
  if (!handle) {
    out.error = "not a readable SVG: " + message_of(error);
    return out;
  }
  double width = 0;
  double height = 0;
  if (!pixel_size(handle.get(), width, height)) {
    out.error = "the SVG gives neither an absolute size nor a viewBox";
    return out;
  }
  if (!std::isfinite(width) || !std::isfinite(height) || width < 1 || height < 1 || width > 1e6 || height > 1e6 ||
      std::ceil(width) * std::ceil(height) > static_cast<double>(max_pixels)) {
    out.over_limit = true;
    out.error = std::to_string(static_cast<long long>(std::ceil(std::min(width, 1e12)))) + "x" +
                std::to_string(static_cast<long long>(std::ceil(std::min(height, 1e12))));
    return out;
  }
  const int pixels_wide = static_cast<int>(std::ceil(width));
  const int pixels_high = static_cast<int>(std::ceil(height));
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixels_wide, pixels_high), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    out.error = "cannot allocate the picture";
    return out;
  }
  {
    std::unique_ptr<cairo_t, void (*)(cairo_t*)> cairo(cairo_create(surface.get()), cairo_destroy);
    const RsvgRectangle viewport{0, 0, static_cast<double>(pixels_wide), static_cast<double>(pixels_high)};
    if (!rsvg_handle_render_document(handle.get(), cairo.get(), &viewport, &error)) {
      out.error = "the SVG cannot be drawn: " + message_of(error);
      return out;
    }
  }
  cairo_surface_flush(surface.get());
  // Cairo's ARGB32 is premultiplied, native-endian 32-bit words: undo both into plain RGBA.
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  out.raster.width = pixels_wide;
  out.raster.height = pixels_high;
  out.raster.channels = 4;
  out.raster.pixels.resize(static_cast<std::size_t>(pixels_wide) * static_cast<std::size_t>(pixels_high) * 4);
  unsigned char* target = out.raster.pixels.data();
  for (int y = 0; y < pixels_high; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride));
    for (int x = 0; x < pixels_wide; ++x, target += 4) {
      const std::uint32_t argb = row[x];
      const unsigned alpha = argb >> 24;
      const auto straight = [alpha](unsigned premultiplied) {
        return static_cast<unsigned char>(alpha == 0 ? 0 : std::min(255u, (premultiplied * 255 + alpha / 2) / alpha));
      };
      target[0] = straight((argb >> 16) & 0xff);
      target[1] = straight((argb >> 8) & 0xff);
      target[2] = straight(argb & 0xff);
      target[3] = static_cast<unsigned char>(alpha);
    }
  }
  out.ok = true;
  return out;
}

}  // namespace mugai::sanitizers::image
