// Turns GMime's parse into mugai's mime::Node tree, enforcing on the way what GMime does not:
// per-part header limits, the decoded-size budget and the deadline. Depth and part count are
// checked before (tree_shape.h), so the recursion here is bounded by Limits::max_depth.
//
// Numbering: the message body is "1" (for the whole input); the parts of a multipart at "P" are "P.1", "P.2", ...; a
// message/rfc822 part at "P" has one child "P.1", the embedded message's body, carrying that
// message's header fields. The header fields of a message go on its body node (root: "1").
#pragma once

#include <gmime/gmime.h>

#include <cstdint>
#include <optional>

#include "header_block.h"
#include "message_parser.h"
#include "mugai/mime/tree.h"
#include "rejection.h"

namespace mugai::mime::detail {

class TreeBuilder {
 public:
  // `depth`: how many containers lie above this message's body (0 for the whole input).
  TreeBuilder(const HeaderBlockInput& input, ParseBudget& budget, std::uint32_t depth)
      : input_(input), budget_(budget), depth_(depth) {}

  // `root` (its path set by the caller) gets the message's header fields and everything below.
  std::optional<Rejection> build(GMimeMessage* message, Node& root);

  // The stated repair when GMime reads no header at all (the first line is no header field, or
  // the input ends inside the first field name): the whole input is the body of a text/plain
  // part with no header fields.
  std::optional<Rejection> build_headerless(Node& root);

 private:
  std::optional<Rejection> convert(GMimeObject* object, GMimeHeaderList* message_headers,
                                   std::uint32_t depth, Node& node);
  std::optional<Rejection> resolve_content(GMimeObject* object, Node& node);
  std::optional<Rejection> convert_multipart(GMimeMultipart* multipart, std::uint32_t depth, Node& node);
  std::optional<Rejection> convert_message_part(GMimeMessagePart* part, std::uint32_t depth, Node& node);
  std::optional<Rejection> convert_leaf(GMimePart* part, std::uint32_t depth, Node& node);
  std::optional<Rejection> parse_encoded_message(std::uint32_t depth, Node& node);
  std::optional<Rejection> account_body(const Node& node);
  std::optional<Rejection> check_deadline() const;

  const HeaderBlockInput& input_;
  ParseBudget& budget_;
  std::uint32_t depth_;
};

}  // namespace mugai::mime::detail
