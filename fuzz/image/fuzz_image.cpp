// Fuzzes the image module's re-encode (BMP and SVG rasterising included) with a small pixel bound (so the fuzzer explores headers,
// not memory). Oracles beyond "no crash": a removal carries findings and no bytes; a converted
// image is a PNG (a JPEG for JPEG input) with nothing after its end marker, and re-encoding it
// again finds nothing to report (a PNG is then kept as it is).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "image/end_marker.h"
#include "image/image_sanitizer.h"

namespace {

// Input that starts like markup goes the SVG way (librsvg), "BM" the BMP way (gdk-pixbuf), the
// rest through libvips' loaders.
mugai::Part part_of(std::string_view bytes) {
  mugai::Part part;
  part.bytes = bytes;
  part.filename = "fuzz.img";
  part.detected.mime = bytes.starts_with("<") ? "image/svg+xml" : "image/png";
  part.detected.cls = mugai::TypeClass::image;
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mugai::sanitizers::image::ImageSanitizer module;
  const mugai::ModuleOptions options{{"max_pixels", "4000000"}, {"svg", "rasterize"}};
  const mugai::Outcome out = module.run(part_of(bytes), "re-encode", options, context);
  if (out.action == mugai::Action::removed) {
    if (out.findings.empty() || !out.bytes.empty()) std::abort();
    return 0;
  }
  const bool jpeg = out.content_type == "image/jpeg";  // format: auto keeps a JPEG a JPEG
  if (out.action != mugai::Action::converted || (out.content_type != "image/png" && !jpeg)) std::abort();
  if (mugai::sanitizers::image::bytes_after_end(out.bytes) != std::size_t{0}) std::abort();
  const mugai::Outcome again = module.run(part_of(out.bytes), "re-encode", options, context);
  if (!again.findings.empty()) std::abort();
  // A PNG comes back unchanged; a JPEG is lossy, so it may be written again, but still as JPEG.
  const bool jpeg_again = again.action == mugai::Action::kept ||
                          (again.action == mugai::Action::converted && again.content_type == "image/jpeg");
  if (jpeg ? !jpeg_again : again.action != mugai::Action::kept) std::abort();
  return 0;
}
