#include "transfer_check.h"

#include <cctype>

namespace mugai::mime::detail {
namespace {

bool is_base64_alphabet(unsigned char c) { return std::isalnum(c) || c == '+' || c == '/'; }
bool is_line_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string Base64Check::describe() const {
  std::string text;
  const auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (invalid_characters) add(std::to_string(invalid_characters) + " character(s) outside the base64 alphabet skipped");
  if (data_after_padding) add("data after '=' padding decoded anyway");
  if (incomplete_quantum) add("incomplete final group, its bits dropped");
  return text;
}

Base64Check check_base64(std::string_view encoded) {
  Base64Check check;
  std::size_t alphabet = 0;
  bool padding_seen = false;
  for (const char c : encoded) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_line_space(byte)) continue;
    if (byte == '=') {
      padding_seen = true;
      ++alphabet;  // padding completes a group
    } else if (is_base64_alphabet(byte)) {
      if (padding_seen) check.data_after_padding = true;
      ++alphabet;
    } else {
      ++check.invalid_characters;
    }
  }
  check.incomplete_quantum = alphabet % 4 != 0;
  return check;
}

QuotedPrintableCheck check_quoted_printable(std::string_view encoded) {
  QuotedPrintableCheck check;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '=') continue;
    const std::string_view rest = encoded.substr(i + 1);
    if (rest.size() >= 2 && std::isxdigit(static_cast<unsigned char>(rest[0])) &&
        std::isxdigit(static_cast<unsigned char>(rest[1]))) {
      i += 2;
      continue;
    }
    // A soft line break: '=' then optional trailing blanks then the line end (or the end).
    std::size_t j = 0;
    while (j < rest.size() && (rest[j] == ' ' || rest[j] == '\t')) ++j;
    if (j == rest.size() || rest[j] == '\n' || (rest[j] == '\r' && j + 1 < rest.size() && rest[j + 1] == '\n'))
      continue;
    ++check.bad_escapes;
  }
  return check;
}

}  // namespace mugai::mime::detail
