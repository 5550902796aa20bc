// The subset of the configuration the ESMTP dialogue needs, checked once at start-up so the
// session itself never meets an unsafe value (0 recipients, a 0-byte message limit, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mugai/core/config.h"

namespace mugai::smtp {

// Longest line we accept, CRLF included (RFC 5321 §4.5.3.1.6: 1000 octets). Commands are held to
// the same bound: extensions (SIZE, BODY) lengthen MAIL beyond the 512 of §4.5.3.1.4.
inline constexpr std::size_t kMaxLineOctets = 1000;

struct SessionSettings {
  std::string hostname = "mugai.localhost";
  std::uint64_t max_message_bytes = 26'214'400;  // SIZE advertised and enforced
  std::size_t max_recipients = 100;
  int max_errors = 10;                           // protocol errors before 421 and close
  bool tls_available = false;                    // STARTTLS offered
  bool require_tls = false;                      // 530 to MAIL before STARTTLS
  std::vector<std::string> accepted_domains;     // lower-case; recipients elsewhere get 550
};

// From the loaded configuration. Returns nullopt and sets `error` for values the session cannot
// work with safely (the config loader checks most bounds; this is the last line of defence).
std::optional<SessionSettings> settings_from_config(const core::Config& config, std::string& error);

}  // namespace mugai::smtp
