#include "com_guess.h"

#include <algorithm>

#include "mugai/charset/charset.h"

namespace mugai::core {
namespace {

bool allowed_control(unsigned char byte) { return byte == '\t' || byte == '\n' || byte == '\r' || byte == '\f'; }

}  // namespace

bool is_com_guess(std::string_view description) {
  return description.find("(COM") != std::string_view::npos ||
         description.find("COM executable") != std::string_view::npos;
}

bool reads_as_japanese_text(std::string_view bytes) {
  if (!bytes.empty() && bytes.back() == '\x1A') bytes.remove_suffix(1);
  const bool control = std::any_of(bytes.begin(), bytes.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && !allowed_control(byte)) || byte == 0x7F;
  });
  if (control) return false;
  const std::string charset = charset::detect(bytes);
  if (charset != "shift_jis" && charset != "euc-jp" && charset != "utf-8") return false;
  return charset::to_utf8(bytes, charset).invalid_sequences == 0;
}

}  // namespace mugai::core
