// Parses untrusted mail with GMime 3 into a mime::Node tree, enforcing mugai's limits on GMime's
// result (GMime itself has no header size/count limits and caps nesting silently at 1,024).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mugai/mime/tree.h"
#include "mugai/sanitizer.h"

namespace mugai::mime {

struct ParseResult {
  std::optional<Node> root;      // absent when rejected
  std::string rejection_code;    // e.g. "limit.max-depth", "mime.conflicting-content-type"
  std::string rejection_reason;  // one line for people, e.g. "nesting depth 2000 > limit 12"
};

// Never throws, never crashes on any input. Repairs are recorded per node (a message without a
// header is a repair: "mime.no-header", the input becomes a text/plain body); a limit breach or an
// ambiguous structure is a rejection with a specific code and reason. The rules and codes are in
// gateway/mime/README.md.
ParseResult parse(std::string_view message, const Limits& limits);

}  // namespace mugai::mime
