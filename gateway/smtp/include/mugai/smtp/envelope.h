// What the SMTP dialogue learnt about one message before its content: who the client said it was,
// the envelope sender and recipients, and the ESMTP parameters that matter downstream.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mugai::smtp {

struct Envelope {
  std::string helo;                     // argument of EHLO/HELO as sent (untrusted, ASCII-checked)
  bool esmtp = false;                   // EHLO (true) or HELO (false)
  std::string mail_from;                // reverse path without <>, "" = null sender (bounces)
  std::vector<std::string> recipients;  // forward paths without <>, deduplicated, in order
  std::optional<std::uint64_t> declared_size;  // MAIL FROM ... SIZE=
  bool body_8bitmime = false;                  // MAIL FROM ... BODY=8BITMIME
};

// Facts about the connection the session cannot know by itself; filled in by the server.
struct ConnectionInfo {
  std::string session_id;   // unique per connection, in replies and every audit line
  std::string client_ip;    // textual, IPv4-mapped IPv6 shown as IPv4
  std::string tls_version;  // "" while plain text, else e.g. "TLSv1.3"
  std::string tls_cipher;
};

}  // namespace mugai::smtp
