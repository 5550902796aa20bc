// One GMime parse of one message into a mime::Node subtree, under a budget shared by every layer.
// Used for the whole input and again for a message/rfc822 part sent base64 or quoted-printable
// encoded (GMime leaves those as opaque leaves; a recipient's MUA decodes and shows them, so mugai
// must look inside too, or the forwarded mail would cross unexamined or vanish from the report).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mugai/mime/tree.h"
#include "rejection.h"

namespace mugai::mime::detail {

// Limits that span all layers of one message.
struct ParseBudget {
  const Limits& limits;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::uint64_t parts = 0;          // nodes counted so far, every layer
  std::uint64_t decoded_bytes = 0;  // decoded leaf bodies so far, every layer
};

// Parses `bytes` as a message whose body becomes `root`, `depth` containers below the top, its
// parts numbered under `prefix` (the message/rfc822 part's number, "" for the whole input; see
// tree_builder.h). Rejections: the limits, and GMime nesting past its own cap.
std::optional<Rejection> parse_message(std::string_view bytes, std::uint32_t depth, const std::string& prefix,
                                       ParseBudget& budget, Node& root);

}  // namespace mugai::mime::detail
