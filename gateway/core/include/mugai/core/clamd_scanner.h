// Malware scan through the ClamAV daemon (clamd) on its local UNIX socket, INSTREAM command
// (clamd.conf(5), clamd(8)): the leaf's bytes are streamed in chunks, clamd answers
// "stream: OK" or "stream: <signature> FOUND". Fails closed: a daemon that cannot be reached,
// times out, refuses the size (StreamMaxLength) or answers anything else is "unavailable", which
// the pipeline turns into a temporary failure (SMTP 451), never a pass.
#pragma once

#include <string>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::core {

class ClamdScanner {
 public:
  ClamdScanner(std::string socket_path, int timeout_seconds)
      : socket_path_(std::move(socket_path)), timeout_seconds_(timeout_seconds) {}
  // One connection per call (clamd closes INSTREAM sessions after the answer). Never throws.
  ScanVerdict scan(std::string_view bytes) const;

 private:
  std::string socket_path_;
  int timeout_seconds_;
};

}  // namespace mugai::core
