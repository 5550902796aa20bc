// The body of one leaf part: the transfer encoding removed by GMime's decoder, never a charset
// conversion (the bytes stay as sent; mugai::charset decodes text later). Repairs recorded:
// malformed base64 or quoted-printable, an unknown Content-Transfer-Encoding (stated rule: the
// body is taken as binary, as it stands), NUL bytes in a body that is not base64-encoded.
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::mime::detail {

struct LeafBody {
  std::string bytes;             // after transfer decoding
  std::size_t encoded_size = 0;  // before
  std::vector<Finding> repairs;
};

// `declared_encoding` is the lower-case Content-Transfer-Encoding token, "" when absent.
LeafBody decode_leaf_body(GMimePart* part, std::string_view declared_encoding);

// Repairs worth recording for a body taken as it stands (no transfer decoding).
void check_unencoded_body(std::string_view bytes, std::vector<Finding>& repairs);

}  // namespace mugai::mime::detail
