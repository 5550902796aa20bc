#include "excerpt.h"

#include <cstdio>

namespace mugai::mime::detail {

std::string printable_excerpt(std::string_view bytes, std::size_t max) {
  std::string out;
  for (const char c : bytes) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    }
  }
  return out;
}

}  // namespace mugai::mime::detail
