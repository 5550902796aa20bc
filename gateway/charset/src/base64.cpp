#include "base64.h"

#include <array>

namespace mugai::charset::detail {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> make_reverse() {
  std::array<signed char, 256> reverse{};
  for (auto& value : reverse) value = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    reverse[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  return reverse;
}
constexpr std::array<signed char, 256> kReverse = make_reverse();

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  if (padding != 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned accumulator = 0;
  int bits = 0;
  for (char c : text) {
    const int value = kReverse[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    accumulator = ((accumulator << 6) | static_cast<unsigned>(value)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(group >> shift) & 0x3F]);
  }
  if (const std::size_t left = bytes.size() - i; left != 0) {
    const unsigned group = (byte(i) << 16) | (left == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(left == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace mugai::charset::detail
