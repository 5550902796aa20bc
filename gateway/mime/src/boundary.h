// A multipart boundary derived from the message content (SHA-256), so that the same OutMessage
// always gives byte-identical output (golden tests, reproducible reports) and no random source is
// needed. A boundary must not occur in the parts: base64 and quoted-printable output cannot
// contain "=_", and a 7-bit text body is checked (a counter is appended until it does not occur).
#pragma once

#include <string>

#include "mugai/mime/build.h"

namespace mugai::mime::detail {

std::string content_boundary(const OutMessage& message, std::string_view text_body);

}  // namespace mugai::mime::detail
