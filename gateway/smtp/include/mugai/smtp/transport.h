// Where a sanitised message goes: the downstream MTA (relay_client.h) or the outbox directory
// (outbox.h). The answer says whether the message is now safely someone else's responsibility.
#pragma once

#include <string>
#include <string_view>

#include "mugai/smtp/envelope.h"

namespace mugai::smtp {

struct TransportResult {
  enum class Kind {
    accepted,   // downstream said 250 to the end of data / outbox rename done
    temporary,  // 4xx, refused connection, timeout, lost connection, disk error: try again later
    permanent,  // downstream 5xx to MAIL, RCPT, DATA or the end of data
  };
  Kind kind = Kind::temporary;
  int code = 0;          // downstream reply code, 0 when there was no reply
  std::string enhanced;  // downstream enhanced code, "" when none
  std::string text;      // downstream reply text or our description, printable ASCII
  std::string stage;     // "connect", "greeting", "ehlo", "starttls", "mail", "rcpt", "data",
                         // "end-of-data", "outbox"
  bool timed_out = false;

  std::string summary() const;  // "rcpt: 550 5.1.1 unknown user" for replies and the audit log
};

class Transport {
 public:
  virtual ~Transport() = default;
  // The message is `trace` (our Received: line) followed by `body`, both with CRLF line ends;
  // passed in two pieces so a large message is never copied just to prepend one line.
  // Dot-stuffing is the transport's business. Must not throw.
  virtual TransportResult send(const Envelope& envelope, std::string_view trace, std::string_view body) = 0;
};

}  // namespace mugai::smtp
