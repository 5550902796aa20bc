#include "image/reencode.h"

#include <vips/vips.h>

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <utility>

#include "image/end_marker.h"

namespace mugai::sanitizers::image {
namespace {

struct Loader {
  std::string_view type_name;  // what vips_foreign_find_load_buffer answers
  std::string_view nickname;   // the "vips-loader" field of the loaded image
  std::string_view label;
};

// The only loaders mugai lets libvips use. BMP is not here: libvips reads it only through
// ImageMagick (magickload), which libvips itself flags as untrusted and mugai blocks.
constexpr Loader kJpegLoader{"VipsForeignLoadJpegBuffer", "jpegload_buffer", "JPEG"};
constexpr std::array kAllowedLoaders{
    kJpegLoader,
    Loader{"VipsForeignLoadPngBuffer", "pngload_buffer", "PNG"},
    Loader{"VipsForeignLoadNsgifBuffer", "gifload_buffer", "GIF"},
    Loader{"VipsForeignLoadTiffBuffer", "tiffload_buffer", "TIFF"},
    Loader{"VipsForeignLoadWebpBuffer", "webpload_buffer", "WebP"},
};

// zlib level 3 instead of libvips' 6: about 4x faster on photographic content for a few
// percent more bytes (bench/README.md, "PDFs and images").
constexpr int kPngCompression = 3;

// Metadata fields that reports name when they are dropped.
constexpr std::array<std::string_view, 6> kMetadataPrefixes{"exif-data", "xmp-data", "iptc-data",
                                                            "icc-profile-data", "png-comment", "gif-comment"};

bool vips_ready() {
  static std::once_flag once;
  static bool ready = false;
  std::call_once(once, [] {
    if (vips_init("mugai") != 0) return;
    // Hostile input makes libvips and its loaders warn a lot; the verdict carries the error.
    g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO),
                      [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    vips_block_untrusted_set(TRUE);
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    ready = true;
  });
  return ready;
}

struct ImageUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageUnref>;

std::string vips_error_text() {
  std::string text = vips_error_buffer();
  vips_error_clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "libvips error" : text;
}

ReencodeResult refused(std::string reason, std::string code, std::string detail) {
  ReencodeResult out;
  out.reason = std::move(reason);
  out.findings.push_back({std::move(code), std::move(detail)});
  return out;
}

// For reasons: what a refused loader reads, in words an administrator knows.
std::string_view loader_label(std::string_view type_name) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kLabels{{
      {"VipsForeignLoadMagickBuffer", "BMP (or another format only ImageMagick reads)"},
      {"VipsForeignLoadSvgBuffer", "SVG"},
      {"VipsForeignLoadHeifBuffer", "HEIF/AVIF"},
      {"VipsForeignLoadJp2kBuffer", "JPEG 2000"},
      {"VipsForeignLoadJxlBuffer", "JPEG XL"},
      {"VipsForeignLoadPdfBuffer", "PDF"},
      {"VipsForeignLoadRadBuffer", "Radiance HDR"},
  }};
  for (const auto& [name, label] : kLabels)
    if (name == type_name) return label;
  return type_name;
}

// Called while pixels are computed: a passed deadline kills the computation.
void on_eval(VipsImage* image, VipsProgress*, void* deadline) {
  if (std::chrono::steady_clock::now() > *static_cast<std::chrono::steady_clock::time_point*>(deadline))
    vips_image_set_kill(image, TRUE);
}

// A JPEG read with 4:2:0 chroma is written with 4:2:0 chroma. libvips' default keeps full
// chroma at quality >= 90, which invents no detail but made the bench mix's 20-megapixel photo
// 1.2x larger and its re-encode 1.3x slower (bench/README.md). Other sources keep libvips' rule.
VipsForeignSubsample chroma_subsampling(VipsImage* decoded) {
  const char* source = nullptr;
  if (vips_image_get_typeof(decoded, "jpeg-chroma-subsample") != 0 &&
      vips_image_get_string(decoded, "jpeg-chroma-subsample", &source) == 0 && source &&
      std::string_view(source) == "4:2:0")
    return VIPS_FOREIGN_SUBSAMPLE_ON;
  return VIPS_FOREIGN_SUBSAMPLE_AUTO;
}

std::vector<std::string> metadata_fields(VipsImage* image) {
  std::vector<std::string> out;
  gchar** fields = vips_image_get_fields(image);
  for (gchar** field = fields; field && *field; ++field) {
    const std::string_view name(*field);
    for (std::string_view prefix : kMetadataPrefixes)
      if (name.starts_with(prefix)) out.emplace_back(name);
  }
  g_strfreev(fields);
  return out;
}

// Writes the decoded image as PNG/JPEG (GIF for a kept animation), every metadata field
// stripped, under the context's deadline.
ReencodeResult save(ImagePtr image, const ImageOptions& options, const Context& context, bool animation, int pages,
                    std::string_view label, bool source_is_jpeg, ReencodeResult out) {
  std::chrono::steady_clock::time_point deadline = context.deadline;
  vips_image_set_progress(image.get(), TRUE);
  g_signal_connect(image.get(), "eval", G_CALLBACK(on_eval), &deadline);
  void* buffer = nullptr;
  std::size_t length = 0;
  const bool jpeg = !animation && (options.format == OutputFormat::jpeg ||
                                    (options.format == OutputFormat::automatic && source_is_jpeg));
  const int status = animation ? vips_gifsave_buffer(image.get(), &buffer, &length, "strip", TRUE, nullptr)
                     : jpeg    ? vips_jpegsave_buffer(image.get(), &buffer, &length, "strip", TRUE, "Q",
                                                      static_cast<int>(options.jpeg_quality), "subsample_mode",
                                                      chroma_subsampling(image.get()), nullptr)
                               : vips_pngsave_buffer(image.get(), &buffer, &length, "strip", TRUE, "compression",
                                                     kPngCompression, nullptr);
  if (status != 0) {
    const std::string error = vips_error_text();
    if (std::chrono::steady_clock::now() > deadline)
      return refused("image removed: the time limit ran out while decoding it", "limit.max-seconds", error);
    return refused("image removed: its pixel data is damaged", "image.malformed", error);
  }
  out.bytes.assign(static_cast<const char*>(buffer), length);
  g_free(buffer);
  out.ok = true;
  out.mime = animation ? "image/gif" : jpeg ? "image/jpeg" : "image/png";
  out.extension = animation ? "gif" : jpeg ? "jpg" : "png";
  out.reason = std::string(label) + " image re-encoded as " +
               (animation ? "GIF (" + std::to_string(pages) + " frames)" : jpeg ? "JPEG" : "PNG");
  if (!out.findings.empty()) {
    std::string removed;
    for (const Finding& finding : out.findings) removed += (removed.empty() ? "" : "; ") + finding.detail;
    out.reason += " (" + removed + ")";
  }
  return out;
}

}  // namespace

ReencodeResult reencode(std::string_view bytes, const ImageOptions& options, const Context& context) {
  if (!vips_ready()) return refused("image removed: the image library could not start", "module.error", "vips_init failed");
  const char* found = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  if (!found) {
    vips_error_clear();
    return refused("image removed: not a readable image", "image.malformed", "no image loader recognises it");
  }
  const std::string_view type_name(found);
  const Loader* loader = nullptr;
  for (const Loader& candidate : kAllowedLoaders)
    if (candidate.type_name == type_name) loader = &candidate;
  if (type_name == "VipsForeignLoadSvgBuffer")
    return refused("SVG image removed: SVG can carry scripts and links", "image.svg", "SVG is active content");
  if (!loader)
    return refused("image removed: " + std::string(loader_label(type_name)) + " is not an image format mugai re-encodes",
                   "image.unsupported-format", std::string(loader_label(type_name)));

  // Header only: libvips reads width, height and pages without decoding a pixel.
  ImagePtr image(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL,
                                            "fail_on", VIPS_FAIL_ON_ERROR, nullptr));
  if (!image) return refused("image removed: its header is damaged", "image.malformed", vips_error_text());
  const char* nickname = nullptr;
  if (vips_image_get_string(image.get(), "vips-loader", &nickname) != 0 || !nickname ||
      loader->nickname != nickname) {
    vips_error_clear();
    return refused("image removed: loaded by an unexpected decoder", "image.unsupported-format",
                   nickname ? nickname : "unknown loader");
  }
  const std::uint64_t width = static_cast<std::uint64_t>(vips_image_get_width(image.get()));
  const std::uint64_t height = static_cast<std::uint64_t>(vips_image_get_height(image.get()));
  if (width * height > options.max_pixels)
    return refused("image removed before decoding: " + std::to_string(width) + " x " + std::to_string(height) +
                       " pixels is more than the limit (" + std::to_string(options.max_pixels) + ")",
                   "limit.image-pixels", std::to_string(width) + "x" + std::to_string(height));

  ReencodeResult out;
  const int pages = vips_image_get_n_pages(image.get());
  // frames: all keeps a GIF animation: every frame decoded (all of them count against
  // max_pixels) and written as GIF; other formats always keep their first frame/page.
  const bool animation = options.all_frames && pages > 1 && loader->nickname == "gifload_buffer";
  if (animation) {
    if (width * height * static_cast<std::uint64_t>(pages) > options.max_pixels)
      return refused("image removed before decoding: " + std::to_string(pages) + " frames of " + std::to_string(width) +
                         " x " + std::to_string(height) + " pixels is more than the limit (" +
                         std::to_string(options.max_pixels) + ")",
                     "limit.image-pixels", std::to_string(pages) + "x" + std::to_string(width) + "x" + std::to_string(height));
    image.reset(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                           VIPS_FAIL_ON_ERROR, "n", -1, nullptr));
    if (!image) return refused("image removed: its frames are damaged", "image.malformed", vips_error_text());
  } else if (pages > 1) {
    out.findings.push_back({"image.frames-dropped", "first of " + std::to_string(pages) + " frames/pages kept"});
  }
  const std::vector<std::string> metadata = metadata_fields(image.get());
  if (!metadata.empty()) {
    std::string list;
    for (const std::string& field : metadata) list += (list.empty() ? "" : ", ") + field;
    out.findings.push_back({"image.metadata", "removed: " + list});
  }
  if (const auto trailing = bytes_after_end(bytes); trailing && *trailing > 0)
    out.findings.push_back({"image.trailing-data", std::to_string(*trailing) + " bytes after the end of the image removed"});

  return save(std::move(image), options, context, animation, pages, loader->label,
              loader->nickname == kJpegLoader.nickname, std::move(out));
}

ReencodeResult reencode_raster(const Raster& raster, std::string_view label, const ImageOptions& options,
                               const Context& context, std::vector<Finding> findings) {
  if (!vips_ready()) return refused("image removed: the image library could not start", "module.error", "vips_init failed");
  ImagePtr image(vips_image_new_from_memory(raster.pixels.data(), raster.pixels.size(), raster.width, raster.height,
                                            raster.channels, VIPS_FORMAT_UCHAR));
  if (!image) return refused("image removed: its pixels cannot be handed on", "module.error", vips_error_text());
  image->Type = VIPS_INTERPRETATION_sRGB;
  if (options.format == OutputFormat::jpeg && raster.channels == 4) {
    // JPEG has no alpha: transparent areas become white, as viewers show them.
    VipsImage* flat = nullptr;
    VipsArrayDouble* white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    const int status = vips_flatten(image.get(), &flat, "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (status != 0) return refused("image removed: its pixels cannot be handed on", "module.error", vips_error_text());
    image.reset(flat);
  }
  ReencodeResult out;
  out.findings = std::move(findings);
  return save(std::move(image), options, context, false, 1, label, false, std::move(out));
}

}  // namespace mugai::sanitizers::image