// TransportResult helpers.
#include "mugai/smtp/transport.h"

namespace mugai::smtp {

std::string TransportResult::summary() const {
  std::string out = stage + ": ";
  if (code != 0) {
    out += std::to_string(code) + " ";
    if (!enhanced.empty()) out += enhanced + " ";
  }
  return out + text;
}

}  // namespace mugai::smtp
