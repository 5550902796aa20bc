// mugai::mime::parse: untrusted mail -> mime::Node tree, with GMime 3 doing the MIME structure.
// Threats handled here: oversized input (refused before GMime sees it), GMime returning NULL (no
// header), GMime's silent nesting cap (1,024) and missing limits (depth, parts: checked on its tree
// before anything is copied). Per-part header limits, bodies and the decoded-size budget are in
// src/tree_builder.cpp. One parser and one options object per call: safe to call from threads.
#include "mugai/mime/parse.h"

#include <chrono>
#include <new>
#include <optional>

#include "src/gmime_session.h"
#include "src/parser_warnings.h"
#include "src/rejection.h"
#include "src/tree_builder.h"
#include "src/tree_shape.h"

namespace mugai::mime {
namespace {

using detail::Rejection;

ParseResult rejected(Rejection rejection) {
  ParseResult result;
  result.rejection_code = std::move(rejection.code);
  result.rejection_reason = std::move(rejection.reason);
  return result;
}

// A message whose first line ends in CRLF follows the SMTP convention; a bare LF inside its header
// is then an anomaly worth recording. A message with LF line ends throughout is a local file.
bool uses_crlf(std::string_view message) {
  const std::size_t newline = message.find('\n');
  return newline == std::string_view::npos || (newline > 0 && message[newline - 1] == '\r');
}

std::optional<Rejection> check_shape(GMimeObject* body, const detail::ParserWarnings& warnings,
                                     const Limits& limits) {
  if (warnings.nesting_overflow())
    return Rejection{"limit.max-depth", "nesting depth over 1024 (GMime's own cap) > limit " +
                                            std::to_string(limits.max_depth)};
  const detail::TreeShape shape = detail::measure_tree(body);
  if (shape.max_depth > limits.max_depth)
    return Rejection{"limit.max-depth", "nesting depth " + std::to_string(shape.max_depth) +
                                            " > limit " + std::to_string(limits.max_depth)};
  if (shape.parts > limits.max_parts)
    return Rejection{"limit.max-parts", std::to_string(shape.parts) + " MIME parts > limit " +
                                            std::to_string(limits.max_parts)};
  return std::nullopt;
}

bool has_header_fields(GMimeMessage* message) {
  GMimeHeaderList* own = g_mime_object_get_header_list(GMIME_OBJECT(message));
  GMimeObject* body = g_mime_message_get_mime_part(message);
  GMimeHeaderList* body_list = body ? g_mime_object_get_header_list(body) : nullptr;
  return (own && g_mime_header_list_get_count(own) > 0) ||
         (body_list && g_mime_header_list_get_count(body_list) > 0);
}

ParseResult parse_checked(std::string_view message, const Limits& limits) {
  if (message.size() > limits.max_message_bytes)
    return rejected({"limit.max-message-bytes", "message is " + std::to_string(message.size()) +
                                                    " bytes > limit " +
                                                    std::to_string(limits.max_message_bytes)});
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (limits.max_seconds > 0)
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.max_seconds);

  detail::ensure_gmime_initialised();
  detail::GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
  detail::GRef<GMimeParser> parser(stream ? g_mime_parser_new_with_stream(stream.get()) : nullptr);
  detail::ParserOptionsRef options(g_mime_parser_options_new());
  if (!parser || !options)
    return rejected({"mime.parser-unavailable", "GMime could not create a parser"});
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  detail::ParserWarnings warnings;
  warnings.attach(options.get());
  detail::GRef<GMimeMessage> parsed(g_mime_parser_construct_message(parser.get(), options.get()));

  const detail::HeaderBlockInput input{message, uses_crlf(message), limits};
  detail::TreeBuilder builder(input, deadline);
  Node root;
  if (!parsed) {
    // GMime returns NULL when the first line is not a header field (or the input is empty).
    if (auto rejection = builder.build_headerless(root)) return rejected(std::move(*rejection));
  } else {
    if (auto rejection = check_shape(g_mime_message_get_mime_part(parsed.get()), warnings, limits))
      return rejected(std::move(*rejection));
    if (auto rejection = builder.build(parsed.get(), root)) return rejected(std::move(*rejection));
    if (!has_header_fields(parsed.get()))
      root.repairs.push_back({"mime.no-header", "the message has no header fields"});
  }
  std::vector<Finding> noticed = warnings.findings();
  root.repairs.insert(root.repairs.begin(), noticed.begin(), noticed.end());

  ParseResult result;
  result.root = std::move(root);
  return result;
}

}  // namespace

ParseResult parse(std::string_view message, const Limits& limits) {
  try {
    return parse_checked(message, limits);
  } catch (const std::bad_alloc&) {
    return rejected({"mime.out-of-memory", "not enough memory to parse the message"});
  } catch (...) {
    return rejected({"mime.parse-failed", "the MIME parser failed"});
  }
}

}  // namespace mugai::mime
