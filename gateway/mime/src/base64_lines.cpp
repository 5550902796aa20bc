#include "base64_lines.h"

#include <openssl/evp.h>

namespace mugai::mime::detail {
namespace {

constexpr std::size_t kBytesPerLine = 57;  // 76 base64 characters
constexpr std::size_t kCharsPerLine = 76;

}  // namespace

std::size_t base64_lines_size(std::size_t input_size) {
  const std::size_t full_lines = input_size / kBytesPerLine;
  const std::size_t rest = input_size % kBytesPerLine;
  return full_lines * (kCharsPerLine + 2) + (rest ? 4 * ((rest + 2) / 3) + 2 : 0);
}

void append_base64_lines(std::string& out, std::string_view bytes) {
  const std::size_t start = out.size();
  out.resize(start + base64_lines_size(bytes.size()));
  auto* cursor = reinterpret_cast<unsigned char*>(out.data() + start);
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t left = bytes.size();
  while (left > 0) {
    const std::size_t take = left < kBytesPerLine ? left : kBytesPerLine;
    // EVP_EncodeBlock ends with a NUL, which the line's CR then overwrites.
    const int written = EVP_EncodeBlock(cursor, in, static_cast<int>(take));
    cursor += written;
    *cursor++ = '\r';
    *cursor++ = '\n';
    in += take;
    left -= take;
  }
}

}  // namespace mugai::mime::detail
