// The size of GMime's tree, measured before mugai copies anything out of it: nesting depth and
// part count, with the same numbering the tree builder uses (the message body is depth 0; each
// multipart or message/rfc822 adds one level; every node counts as a part, containers included).
// Iterative, because GMime nests up to 1,024 levels and a hostile tree must not cost our stack.
#pragma once

#include <gmime/gmime.h>

#include <cstdint>

namespace mugai::mime::detail {

struct TreeShape {
  std::uint32_t max_depth = 0;
  std::uint64_t parts = 0;
};

TreeShape measure_tree(GMimeObject* body);

// The child a message/rfc822 node has in mugai's tree: the embedded message's body, or nullptr.
GMimeObject* embedded_body(GMimeMessagePart* part);

}  // namespace mugai::mime::detail
