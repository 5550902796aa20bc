#include "message_parser.h"

#include "gmime_session.h"
#include "header_block.h"
#include "parser_warnings.h"
#include "tree_builder.h"
#include "tree_shape.h"

namespace mugai::mime::detail {
namespace {

// A message whose first line ends in CRLF follows the SMTP convention; a bare LF inside its header
// is then an anomaly worth recording. A message with LF line ends throughout is a local file.
bool uses_crlf(std::string_view message) {
  const std::size_t newline = message.find('\n');
  return newline == std::string_view::npos || (newline > 0 && message[newline - 1] == '\r');
}

// Depth and part count on GMime's tree, before anything is copied out of it.
std::optional<Rejection> check_shape(GMimeObject* body, std::uint32_t depth, const ParserWarnings& warnings,
                                     ParseBudget& budget) {
  const Limits& limits = budget.limits;
  if (warnings.nesting_overflow())
    return Rejection{"limit.max-depth",
                     "nesting depth over 1024 (GMime's own cap) > limit " + std::to_string(limits.max_depth)};
  // No body object (GMime found no header, or a message without body): one text node.
  const TreeShape shape = body ? measure_tree(body) : TreeShape{0, 1};
  const std::uint64_t deepest = std::uint64_t{depth} + shape.max_depth;
  if (deepest > limits.max_depth)
    return Rejection{"limit.max-depth", "nesting depth " + std::to_string(deepest) + " > limit " +
                                            std::to_string(limits.max_depth)};
  budget.parts += shape.parts;
  if (budget.parts > limits.max_parts)
    return Rejection{"limit.max-parts", std::to_string(budget.parts) + " MIME parts > limit " +
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

}  // namespace

std::optional<Rejection> parse_message(std::string_view bytes, std::uint32_t depth, const std::string& prefix,
                                       ParseBudget& budget, Node& root) {
  ensure_gmime_initialised();
  // Declaration order matters: the tree (`parsed`) keeps pointers to `options` and calls back
  // into `warnings`, so it is declared last and destroyed first.
  GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GRef<GMimeParser> parser(stream ? g_mime_parser_new_with_stream(stream.get()) : nullptr);
  ParserOptionsRef options(g_mime_parser_options_new());
  if (!parser || !options) return Rejection{"mime.parser-unavailable", "GMime could not create a parser"};
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  ParserWarnings warnings;
  warnings.attach(options.get());
  GRef<GMimeMessage> parsed(g_mime_parser_construct_message(parser.get(), options.get()));

  const HeaderBlockInput input{bytes, uses_crlf(bytes), budget.limits};
  TreeBuilder builder(input, budget, depth, prefix);
  if (!parsed) {
    // GMime returns NULL when the first line is not a header field (or the input is empty).
    if (auto rejection = check_shape(nullptr, depth, warnings, budget)) return rejection;
    if (auto rejection = builder.build_headerless(root)) return rejection;
  } else {
    if (auto rejection = check_shape(g_mime_message_get_mime_part(parsed.get()), depth, warnings, budget))
      return rejection;
    if (auto rejection = builder.build(parsed.get(), root)) return rejection;
    if (!has_header_fields(parsed.get()))
      root.repairs.push_back({"mime.no-header", "the message has no header fields"});
  }
  std::vector<Finding> noticed = warnings.findings();
  root.repairs.insert(root.repairs.begin(), noticed.begin(), noticed.end());
  return std::nullopt;
}

}  // namespace mugai::mime::detail
