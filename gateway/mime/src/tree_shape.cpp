#include "tree_shape.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace mugai::mime::detail {

GMimeObject* embedded_body(GMimeMessagePart* part) {
  GMimeMessage* message = g_mime_message_part_get_message(part);
  return message ? g_mime_message_get_mime_part(message) : nullptr;
}

TreeShape measure_tree(GMimeObject* body) {
  TreeShape shape;
  if (!body) return shape;
  std::vector<std::pair<GMimeObject*, std::uint32_t>> pending{{body, 0}};
  while (!pending.empty()) {
    const auto [object, depth] = pending.back();
    pending.pop_back();
    ++shape.parts;
    shape.max_depth = std::max(shape.max_depth, depth);
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int i = 0; i < count; ++i)
        if (GMimeObject* child = g_mime_multipart_get_part(multipart, i))
          pending.emplace_back(child, depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      if (GMimeObject* child = embedded_body(GMIME_MESSAGE_PART(object)))
        pending.emplace_back(child, depth + 1);
    }
  }
  return shape;
}

}  // namespace mugai::mime::detail
