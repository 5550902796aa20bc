#include "text/control_characters.h"

#include "text/utf8_scan.h"

namespace mugai::sanitizers::text {

ControlScan strip_control_characters(std::string& text) {
  ControlScan scan;
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint cp = decode_at(text, pos);
    if (!cp.valid) {
      ++scan.invalid;
      append_utf8(out, kReplacement);
    } else if (is_removed_control(cp.value)) {
      ++scan.removed;
    } else {
      if (is_bidi_control(cp.value)) ++scan.bidi;
      out.append(text, pos, cp.length);
    }
    pos += cp.length;
  }
  text = std::move(out);
  return scan;
}

}  // namespace mugai::sanitizers::text
