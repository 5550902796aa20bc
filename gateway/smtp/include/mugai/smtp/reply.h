// One SMTP reply: basic code, enhanced status code (RFC 3463) and text. Every reply mugai sends is
// built here so the wire format (code, space or dash, CRLF) is right in exactly one place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mugai::smtp {

struct Reply {
  int code = 0;          // 3 digits, e.g. 250
  std::string enhanced;  // "2.0.0", or "" for replies that carry none (220 greeting, EHLO lines)
  std::string text;      // one line, printable ASCII (see printable_ascii())

  bool positive() const { return code >= 200 && code < 400; }
  bool temporary() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  std::string wire() const;  // "550 5.7.1 text\r\n"
};

// A multi-line reply (EHLO): "250-a\r\n250-b\r\n250 c\r\n".
std::string wire_multiline(int code, const std::vector<std::string>& lines);

// Text that came from outside (a downstream reply, a client's HELO, a pipeline reason) made safe
// to put in a reply line or a log: printable ASCII only (others become '?'), at most max_chars.
// Stops reply splitting (CR/LF injection into our own replies) and 8-bit bytes on the wire.
std::string printable_ascii(std::string_view text, std::size_t max_chars = 200);

}  // namespace mugai::smtp
