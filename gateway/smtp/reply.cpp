// Wire format of replies (RFC 5321 §4.2) and the one filter for text we did not write ourselves.
#include "mugai/smtp/reply.h"

namespace mugai::smtp {

std::string Reply::wire() const {
  std::string line = std::to_string(code);
  line.push_back(' ');
  if (!enhanced.empty()) {
    line += enhanced;
    line.push_back(' ');
  }
  line += text;
  line += "\r\n";
  return line;
}

std::string wire_multiline(int code, const std::vector<std::string>& lines) {
  std::string out;
  const std::string number = std::to_string(code);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += number;
    out.push_back(i + 1 == lines.size() ? ' ' : '-');
    out += lines[i];
    out += "\r\n";
  }
  return out;
}

std::string printable_ascii(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars));
  for (const char c : text) {
    if (out.size() >= max_chars) break;
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
  }
  return out;
}

}  // namespace mugai::smtp
