#include "image/image_sanitizer.h"

#include <exception>

#include "image/image_options.h"
#include "image/raster.h"
#include "image/reencode.h"

namespace mugai::sanitizers::image {
namespace {

Outcome removed(std::string reason, std::vector<Finding> findings) {
  Outcome out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

// "写真.JPG" -> "写真.png"; "" stays "".
std::string with_extension(const std::string& filename, const std::string& extension) {
  if (filename.empty()) return "";
  const std::size_t dot = filename.rfind('.');
  const std::size_t slash = filename.find_last_of("/\\");
  const bool has_dot = dot != std::string::npos && (slash == std::string::npos || dot > slash) && dot > 0;
  return (has_dot ? filename.substr(0, dot) : filename) + "." + extension;
}

// BMP and SVG: decoded outside libvips (raster.h), written by it.
ReencodeResult from_raster(RasterResult decoded, std::string_view label, const ImageOptions& options,
                           const Context& context) {
  ReencodeResult out;
  const std::string format(label);
  if (decoded.over_limit) {
    out.reason = "image removed before decoding: " + format + " of " + decoded.error +
                 " pixels is more than the limit (" + std::to_string(options.max_pixels) + ")";
    out.findings.push_back({"limit.image-pixels", decoded.error});
    return out;
  }
  if (!decoded.ok) {
    out.reason = "image removed: the " + format + " cannot be decoded";
    out.findings.push_back({"image.malformed", decoded.error});
    return out;
  }
  std::vector<Finding> findings;
  if (label == "SVG")
    findings.push_back({"image.svg-rasterized", "drawn as pixels: scripts, links, animation and external references are gone"});
  return reencode_raster(decoded.raster, label, options, context, std::move(findings));
}

}  // namespace

bool ImageSanitizer::handles(const FileType& type) const {
  return type.cls == TypeClass::image || type.mime == "image/svg+xml";
}

bool ImageSanitizer::supports(std::string_view action) const { return action == "re-encode"; }

Outcome ImageSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                            Context& context) const {
  try {
    if (!supports(action)) return removed("image module cannot '" + std::string(action) + "'; part removed", {});
    std::string problem;
    const std::optional<ImageOptions> parsed = parse_options(options, problem);
    if (!parsed) return removed("image removed: bad rule options", {{"module.options", problem}});
    const bool svg = in.detected.mime == "image/svg+xml";
    if (svg && !parsed->rasterize_svg)
      return removed("SVG image removed: SVG can carry scripts and links", {{"image.svg", "SVG is active content"}});
    if (context.expired())
      return removed("image removed: the time limit for this message ran out",
                     {{"limit.max-seconds", "deadline passed before re-encoding"}});
    ReencodeResult result = svg                      ? from_raster(rasterize_svg(in.bytes, parsed->max_pixels), "SVG",
                                                                   *parsed, context)
                            : looks_like_bmp(in.bytes) ? from_raster(decode_bmp(in.bytes, parsed->max_pixels), "BMP",
                                                                     *parsed, context)
                                                       : reencode(in.bytes, *parsed, context);
    if (!result.ok) return removed(std::move(result.reason), std::move(result.findings));
    // mugai's own output (or any image already in that form) re-encodes to the same bytes:
    // kept, so sanitising twice changes nothing.
    if (result.findings.empty() && result.bytes == in.bytes) {
      Outcome kept;
      kept.action = Action::kept;
      kept.reason = "image already clean: re-encoding gives the same bytes";
      return kept;
    }
    Outcome out;
    out.action = Action::converted;
    out.bytes = std::move(result.bytes);
    out.content_type = std::move(result.mime);
    out.filename = with_extension(in.filename, result.extension);
    if (out.filename == in.filename) out.filename.clear();
    out.reason = std::move(result.reason);
    out.findings = std::move(result.findings);
    return out;
  } catch (const std::bad_alloc&) {
    return removed("image removed: out of memory while re-encoding", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return removed("image removed: sanitiser error", {{"module.error", error.what()}});
  } catch (...) {
    return removed("image removed: sanitiser error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::image
