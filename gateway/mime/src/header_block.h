// Reads the header fields of one MIME part: the names and order GMime found, the bytes from the
// input itself. GMime keeps header values as C strings (a NUL byte silently cuts the value short)
// and has no size or count limits, so each field is re-read from the raw input at the offset GMime
// recorded, measured against mugai's limits before anything is copied, then unfolded.
//
// Threats handled: header bombs (one 1 MB field, 100,000 fields: limit.max-header-line-bytes,
// limit.max-header-fields, limit.max-header-bytes); header injection through a bare CR or a NUL
// inside a value (replaced by a space and recorded, since a later writer could emit it as a line
// break); bare LF line ends inside a CRLF message (SMTP smuggling style ambiguity, recorded).
#pragma once

#include <gmime/gmime.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/mime/tree.h"
#include "rejection.h"

namespace mugai::mime::detail {

struct HeaderBlockInput {
  std::string_view message;  // the whole input; GMime's header offsets index into it
  bool crlf_message = true;  // the first line ends in CRLF: a bare LF is then worth a finding
  const Limits& limits;
};

// Fills `node.headers` (in input order) and adds header repairs to `node.repairs`. `lists` are the
// GMime header lists that together form this part's header block: for a message, the message's
// own list and its body part's list (GMime splits Content-* fields off to the body part).
std::optional<Rejection> read_header_block(const HeaderBlockInput& input,
                                           std::initializer_list<GMimeHeaderList*> lists, Node& node);

}  // namespace mugai::mime::detail
