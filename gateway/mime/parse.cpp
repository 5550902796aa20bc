// mugai::mime::parse: untrusted mail -> mime::Node tree, with GMime 3 doing the MIME structure.
// Oversized input is refused before GMime sees it; everything else is in src/message_parser.cpp
// (one GMime parse, limits on its tree) and src/tree_builder.cpp (GMime -> Node). One parser and
// one options object per call: safe to call from several threads.
#include "mugai/mime/parse.h"

#include <chrono>
#include <new>

#include "src/message_parser.h"

namespace mugai::mime {
namespace {

ParseResult rejected(detail::Rejection rejection) {
  ParseResult result;
  result.rejection_code = std::move(rejection.code);
  result.rejection_reason = std::move(rejection.reason);
  return result;
}

ParseResult parse_checked(std::string_view message, const Limits& limits) {
  if (message.size() > limits.max_message_bytes)
    return rejected({"limit.max-message-bytes", "message is " + std::to_string(message.size()) +
                                                    " bytes > limit " +
                                                    std::to_string(limits.max_message_bytes)});
  detail::ParseBudget budget{limits, std::nullopt};
  if (limits.max_seconds > 0)
    budget.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.max_seconds);
  Node root;
  if (auto rejection = detail::parse_message(message, 0, "", budget, root))
    return rejected(std::move(*rejection));
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
