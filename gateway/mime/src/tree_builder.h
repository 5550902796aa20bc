// Turns GMime's parse into mugai's mime::Node tree, enforcing on the way what GMime does not:
// per-part header limits, the decoded-size budget and the deadline. Depth and part count are
// checked before (tree_shape.h), so the recursion here is bounded by Limits::max_depth.
//
// Numbering: IMAP part numbers (RFC 3501 6.4.5). A message whose body is one part: that part is
// "1". A multipart body has parts "1", "2", ... and no IMAP number itself: mugai calls it "0". A
// nested multipart at "P" has parts "P.1", "P.2". A message/rfc822 part at "P" has one child, the
// embedded message's body: "P.1" when it is one part, else "P.0" with parts "P.1", "P.2".
// The header fields of a message go on its body node (the root for the whole input).
#pragma once

#include <gmime/gmime.h>

#include <cstdint>
#include <optional>
#include <string>

#include "header_block.h"
#include "message_parser.h"
#include "mugai/mime/tree.h"
#include "rejection.h"

namespace mugai::mime::detail {

class TreeBuilder {
 public:
  // `depth`: how many containers lie above this message's body (0 for the whole input);
  // `prefix`: the part number of the message/rfc822 part holding it ("" for the whole input).
  TreeBuilder(const HeaderBlockInput& input, ParseBudget& budget, std::uint32_t depth, std::string prefix)
      : input_(input), budget_(budget), depth_(depth), prefix_(std::move(prefix)) {}

  // `root` gets its part number, the message's header fields and everything below.
  std::optional<Rejection> build(GMimeMessage* message, Node& root);

  // The stated repair when GMime reads no header at all (the first line is no header field, or
  // the input ends inside the first field name): the whole input is the body of a text/plain
  // part with no header fields.
  std::optional<Rejection> build_headerless(Node& root);

 private:
  // `prefix`: the part number the parts of `object` are numbered under, if it is a multipart.
  std::optional<Rejection> convert(GMimeObject* object, GMimeHeaderList* message_headers, std::uint32_t depth,
                                   const std::string& prefix, Node& node);
  std::optional<Rejection> resolve_content(GMimeObject* object, Node& node);
  std::optional<Rejection> convert_multipart(GMimeMultipart* multipart, std::uint32_t depth,
                                             const std::string& prefix, Node& node);
  std::optional<Rejection> convert_message_part(GMimeMessagePart* part, std::uint32_t depth, Node& node);
  std::optional<Rejection> convert_leaf(GMimePart* part, std::uint32_t depth, Node& node);
  std::optional<Rejection> parse_encoded_message(std::uint32_t depth, Node& node);
  std::optional<Rejection> account_body(const Node& node);
  std::optional<Rejection> check_deadline() const;

  const HeaderBlockInput& input_;
  ParseBudget& budget_;
  std::uint32_t depth_;
  std::string prefix_;
};

// "P.n" (or "n" under the empty prefix), and the number of a message's body under `prefix`.
std::string part_number(const std::string& prefix, int index);
std::string message_body_number(const std::string& prefix, bool multipart);

}  // namespace mugai::mime::detail
