#include "text/line_endings.h"

namespace mugai::sanitizers::text {

std::size_t normalise_line_endings(std::string& text) {
  std::size_t bare = 0;
  std::size_t out = 0;
  for (std::size_t in = 0; in < text.size(); ++in) {
    if (text[in] != '\r') {
      text[out++] = text[in];
      continue;
    }
    if (in + 1 < text.size() && text[in + 1] == '\n') continue;  // CRLF: the LF follows
    text[out++] = '\n';
    ++bare;
  }
  text.resize(out);
  return bare;
}

}  // namespace mugai::sanitizers::text
