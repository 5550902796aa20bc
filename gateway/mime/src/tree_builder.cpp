#include "tree_builder.h"

#include <algorithm>
#include <string>

#include "body_decode.h"
#include "content_fields.h"
#include "excerpt.h"
#include "gmime_session.h"
#include "tree_shape.h"

namespace mugai::mime::detail {
namespace {

enum class Kind { leaf, multipart, message };

Kind kind_of(GMimeObject* object) {
  if (GMIME_IS_MULTIPART(object)) return Kind::multipart;
  if (GMIME_IS_MESSAGE_PART(object)) return Kind::message;
  return Kind::leaf;
}

// The same classification GMime's type registry makes (gmime.c), for a declared type.
Kind kind_of(std::string_view type) {
  if (type.starts_with("multipart/")) return Kind::multipart;
  if (type == "message/rfc822" || type == "message/rfc2822" || type == "message/global" ||
      type == "message/news")
    return Kind::message;
  return Kind::leaf;
}

std::string gmime_type(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  GCharRef text(type ? g_mime_content_type_get_mime_type(type) : nullptr);
  std::string out = text ? text.get() : "";
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void make_default_text(Node& node) {
  node.content_type = "text/plain";
  node.type_params.clear();
  node.type_params["charset"] = "us-ascii";
}

}  // namespace

std::string part_number(const std::string& prefix, int index) {
  return prefix.empty() ? std::to_string(index) : prefix + "." + std::to_string(index);
}

std::string message_body_number(const std::string& prefix, bool multipart) {
  if (!multipart) return part_number(prefix, 1);
  return prefix.empty() ? "0" : prefix + ".0";
}

std::optional<Rejection> TreeBuilder::check_deadline() const {
  if (budget_.deadline && std::chrono::steady_clock::now() > *budget_.deadline)
    return Rejection{"limit.max-seconds",
                     "parsing took longer than " + std::to_string(input_.limits.max_seconds) + " s"};
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::account_body(const Node& node) {
  budget_.decoded_bytes += node.body.size();
  if (budget_.decoded_bytes > input_.limits.max_decoded_bytes)
    return Rejection{"limit.max-decoded-bytes",
                     "decoded bodies reach " + std::to_string(budget_.decoded_bytes) + " bytes at part " +
                         node.path + " > limit " + std::to_string(input_.limits.max_decoded_bytes)};
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::build(GMimeMessage* message, Node& root) {
  GMimeHeaderList* message_headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  GMimeObject* body = g_mime_message_get_mime_part(message);
  root.path = message_body_number(prefix_, body && GMIME_IS_MULTIPART(body));
  if (!body) {
    // GMime gave a message without a body object: its header, and an empty text body.
    if (auto rejection = read_header_block(input_, {message_headers}, root)) return rejection;
    make_default_text(root);
    root.repairs.push_back({"mime.no-body", "the message has no body: an empty text/plain body"});
    return std::nullopt;
  }
  return convert(body, message_headers, depth_, prefix_, root);
}

std::optional<Rejection> TreeBuilder::build_headerless(Node& root) {
  root.path = part_number(prefix_, 1);
  make_default_text(root);
  root.body = std::string(input_.message);
  root.encoded_size = input_.message.size();
  root.repairs.push_back({"mime.no-header",
                          "no header could be read (the first line is not a header field, or the "
                          "input ends inside one): the whole input is read as the body of a "
                          "text/plain message without header fields"});
  check_unencoded_body(root.body, root.repairs);
  return account_body(root);
}

std::optional<Rejection> TreeBuilder::convert(GMimeObject* object, GMimeHeaderList* message_headers,
                                              std::uint32_t depth, const std::string& prefix, Node& node) {
  if (auto rejection = check_deadline()) return rejection;
  if (auto rejection =
          read_header_block(input_, {message_headers, g_mime_object_get_header_list(object)}, node))
    return rejection;
  if (auto rejection = resolve_content(object, node)) return rejection;
  switch (kind_of(object)) {
    case Kind::multipart:
      return convert_multipart(GMIME_MULTIPART(object), depth, prefix, node);
    case Kind::message:
      return convert_message_part(GMIME_MESSAGE_PART(object), depth, node);
    case Kind::leaf:
      break;
  }
  if (GMIME_IS_PART(object)) return convert_leaf(GMIME_PART(object), depth, node);
  node.repairs.push_back({"mime.unknown-object",
                          "GMime returned an object that is no MIME part: "
                          "read as an empty body"});
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::resolve_content(GMimeObject* object, Node& node) {
  ContentFields fields = read_content_fields(node.headers);
  node.repairs.insert(node.repairs.end(), fields.repairs.begin(), fields.repairs.end());
  node.disposition = std::move(fields.disposition);
  node.filename = std::move(fields.filename);
  node.transfer_encoding = std::move(fields.transfer_encoding);

  const Kind structure = kind_of(object);
  if (fields.content_type.empty() && fields.content_types_differ && structure != Kind::leaf)
    // The first Content-Type is invalid (text/plain for mugai), GMime built a container from a later one.
    return Rejection{"mime.conflicting-content-type",
                     "part " + node.path +
                         ": Content-Type fields disagree on the structure (first invalid, '" +
                         printable_excerpt(gmime_type(object)) + "' last)"};
  if (fields.content_type.empty()) {
    if (structure == Kind::leaf) {
      make_default_text(node);
      if (fields.content_type_fields == 0)
        node.repairs.push_back({"mime.missing-content-type",
                                "no Content-Type: text/plain; charset=us-ascii (RFC 2045 section 5.2)"});
    } else {
      // A part of a multipart/digest without Content-Type is message/rfc822 (RFC 2046 5.1.5).
      node.content_type = structure == Kind::message ? "message/rfc822" : gmime_type(object);
    }
    return std::nullopt;
  }

  node.type_params = std::move(fields.type_params);
  if (kind_of(fields.content_type) == structure) {
    // message/global and message/news are mail too; mugai treats them all as message/rfc822.
    node.content_type = structure == Kind::message ? "message/rfc822" : std::move(fields.content_type);
    return std::nullopt;
  }
  const std::string gmime_view = gmime_type(object);
  if (structure == Kind::leaf && kind_of(fields.content_type) == Kind::message &&
      gmime_view == fields.content_type) {
    node.content_type = "message/rfc822";  // sent transfer-encoded: convert_leaf parses it
    return std::nullopt;
  }
  if (fields.content_types_differ)
    // GMime built the structure from the last Content-Type, mugai reads the first: a recipient
    // could see either tree, so neither can be trusted to be what crosses.
    return Rejection{"mime.conflicting-content-type",
                     "part " + node.path + ": Content-Type fields disagree on the structure ('" +
                         printable_excerpt(fields.content_type) + "' first, '" +
                         printable_excerpt(gmime_view) + "' last)"};
  node.repairs.push_back({"mime.content-type-disagreement",
                          "Content-Type '" + printable_excerpt(fields.content_type) + "' read by GMime as '" +
                              printable_excerpt(gmime_view) + "': GMime's structure is used"});
  node.content_type = structure == Kind::message ? "message/rfc822" : gmime_view;
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::convert_multipart(GMimeMultipart* multipart, std::uint32_t depth,
                                                        const std::string& prefix, Node& node) {
  const int count = g_mime_multipart_get_count(multipart);
  if (count <= 0) {
    // Stated rule: a multipart whose parts cannot be found (no boundary parameter, or the
    // boundary never occurs) keeps its content as text, so nothing is lost silently and
    // nothing inside can be taken for an attachment.
    // (g_mime_multipart_get_boundary would invent one; the parameter is what the parser saw.)
    const bool has_boundary =
        g_mime_object_get_content_type_parameter(GMIME_OBJECT(multipart), "boundary") != nullptr;
    node.repairs.push_back({has_boundary ? "mime.boundary-not-found" : "mime.missing-boundary",
                            node.content_type +
                                (has_boundary ? ": the boundary never occurs" : ": no boundary parameter") +
                                "; its content is read as one text/plain part"});
    node.content_type = "text/plain";
    node.type_params.clear();
    // Now a one-part message body, it takes that number ("0" -> "1", "P.0" -> "P.1").
    if (node.path == "0" || node.path.ends_with(".0")) node.path.back() = '1';
    const char* prologue = g_mime_multipart_get_prologue(multipart);
    node.body = prologue ? prologue : "";
    node.encoded_size = node.body.size();
    check_unencoded_body(node.body, node.repairs);
    return account_body(node);
  }
  if (!multipart->write_end_boundary)
    node.repairs.push_back(
        {"mime.unterminated-boundary", node.content_type + ": the closing boundary is missing; the last part "
                                                           "runs to the end of its parent"});
  node.children.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    GMimeObject* part = g_mime_multipart_get_part(multipart, i);
    if (!part) continue;
    Node& child = node.children.emplace_back();
    child.path = part_number(prefix, i + 1);
    if (auto rejection = convert(part, nullptr, depth + 1, child.path, child)) return rejection;
  }
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::convert_message_part(GMimeMessagePart* part, std::uint32_t depth,
                                                           Node& node) {
  GMimeMessage* message = g_mime_message_part_get_message(part);
  GMimeObject* body = embedded_body(part);
  if (!message || !body) {
    node.repairs.push_back({"mime.empty-embedded-message", "message/rfc822 part without a message"});
    return std::nullopt;
  }
  Node& child = node.children.emplace_back();
  child.path = message_body_number(node.path, GMIME_IS_MULTIPART(body));
  return convert(body, g_mime_object_get_header_list(GMIME_OBJECT(message)), depth + 1, node.path, child);
}

std::optional<Rejection> TreeBuilder::convert_leaf(GMimePart* part, std::uint32_t depth, Node& node) {
  LeafBody body = decode_leaf_body(part, node.transfer_encoding);
  node.body = std::move(body.bytes);
  node.encoded_size = body.encoded_size;
  node.repairs.insert(node.repairs.end(), body.repairs.begin(), body.repairs.end());
  if (auto rejection = account_body(node)) return rejection;
  if (node.is_message()) return parse_encoded_message(depth, node);
  return std::nullopt;
}

std::optional<Rejection> TreeBuilder::parse_encoded_message(std::uint32_t depth, Node& node) {
  // GMime keeps a transfer-encoded message/rfc822 as a leaf (RFC 2046 5.2.1 allows only 7bit,
  // 8bit or binary there). Stated rule: decode it and parse it as the embedded message.
  node.repairs.push_back({"mime.encoded-message", "message/rfc822 with Content-Transfer-Encoding '" +
                                                      printable_excerpt(node.transfer_encoding) +
                                                      "': decoded and parsed"});
  Node& child = node.children.emplace_back();
  const std::string embedded = std::move(node.body);
  node.body.clear();
  return parse_message(embedded, depth + 1, node.path, budget_, child);
}

}  // namespace mugai::mime::detail
