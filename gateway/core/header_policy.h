// Which header fields of the original cross, and in what form. Everything not on the allow list
// is dropped (Received chains, X-headers, List-*, DKIM signatures that no longer verify, MIME
// headers that the rebuild writes anew): default deny, like parts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mugai/mime/build.h"
#include "mugai/mime/tree.h"
#include "mugai/sanitizer.h"

namespace mugai::core {

// The allowed fields, first occurrence only, decoded to UTF-8 (the builder re-encodes).
std::vector<mime::OutHeader> safe_headers(const std::vector<mime::Header>& original,
                                          std::vector<Finding>& findings);

// An address list header (From, To, ...) with encoded-word display names decoded to UTF-8 and
// quoted where the decoded text contains specials, so a decoded "山田, 太郎" stays one address.
std::string decode_address_header(std::string_view raw_value);

// The decoded value of the first field named `name` (case-insensitive), or "".
std::string first_header_text(const std::vector<mime::Header>& headers, std::string_view name);

}  // namespace mugai::core
