#include "image/end_marker.h"

namespace mugai::sanitizers::image {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

unsigned byte_at(std::string_view bytes, std::size_t at) { return static_cast<unsigned char>(bytes[at]); }

// PNG: chunks (length, type, data, CRC) from the signature to IEND.
std::optional<std::size_t> png_end(std::string_view bytes) {
  std::size_t at = kPngSignature.size();
  while (at + 12 <= bytes.size()) {
    const std::size_t length = (std::size_t{byte_at(bytes, at)} << 24) | (byte_at(bytes, at + 1) << 16) |
                               (byte_at(bytes, at + 2) << 8) | byte_at(bytes, at + 3);
    if (length > bytes.size() - at - 12) return std::nullopt;
    const std::string_view type = bytes.substr(at + 4, 4);
    at += 12 + length;
    if (type == "IEND") return at;
  }
  return std::nullopt;
}

// JPEG: marker segments up to the first start-of-scan, then entropy-coded data, where 0xFF is
// only ever followed by 0x00 (stuffing), a restart marker, or a real marker; EOI is 0xFFD9.
std::optional<std::size_t> jpeg_end(std::string_view bytes) {
  std::size_t at = 2;
  while (at + 2 <= bytes.size()) {
    if (byte_at(bytes, at) != 0xFF) return std::nullopt;
    const unsigned marker = byte_at(bytes, at + 1);
    if (marker == 0xD9) return at + 2;
    if (marker == 0xFF) {
      ++at;
      continue;
    }
    if (at + 4 > bytes.size()) return std::nullopt;
    const std::size_t length = (byte_at(bytes, at + 2) << 8) | byte_at(bytes, at + 3);
    at += 2 + length;
    if (marker != 0xDA) continue;
    // Entropy-coded data until the next marker that is neither stuffing nor a restart.
    while (at + 1 < bytes.size()) {
      if (byte_at(bytes, at) == 0xFF) {
        const unsigned next = byte_at(bytes, at + 1);
        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) break;
      }
      ++at;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> bytes_after_end(std::string_view bytes) {
  std::optional<std::size_t> end;
  if (bytes.starts_with(kPngSignature)) end = png_end(bytes);
  else if (bytes.size() > 2 && byte_at(bytes, 0) == 0xFF && byte_at(bytes, 1) == 0xD8) end = jpeg_end(bytes);
  if (!end || *end > bytes.size()) return std::nullopt;
  return bytes.size() - *end;
}

}  // namespace mugai::sanitizers::image
