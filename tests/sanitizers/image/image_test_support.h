// Samples (samples/images/generate.py, built before the tests) and a runner for the module.
#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "image/image_sanitizer.h"
#include "sanitizer_test_support.h"

namespace mugai::test {

inline constexpr std::string_view kSecret = "mugai-secret-metadata";  // samples/images/generate.py
inline constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};

inline std::string image_sample(std::string_view name) {
  std::ifstream in(std::string(MUGAI_IMAGE_SAMPLES) + "/" + std::string(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline Outcome run_image(std::string_view bytes, const ModuleOptions& options = {}, std::string filename = "photo.jpg",
                         std::string mime = "image/jpeg") {
  TestContext context;
  Part part;
  part.bytes = bytes;
  part.filename = std::move(filename);
  part.detected.mime = std::move(mime);
  part.detected.cls = TypeClass::image;
  return sanitizers::image::ImageSanitizer().run(part, "re-encode", options, context.context);
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace mugai::test
