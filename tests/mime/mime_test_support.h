// Helpers for the mime tests: messages are written with "\n" and sent with CRLF, and trees are
// searched by IMAP-style path.
#pragma once

#include <string>
#include <string_view>

#include "mugai/mime/parse.h"

namespace mugai::mime::test {

// "\n" -> "\r\n" (the test sources stay readable; the parser sees SMTP line ends).
std::string crlf(std::string_view text);

// The node at `path` (IMAP numbers: "0" for a multipart root, "1", "2.1"), or nullptr.
const Node* at(const Node& root, std::string_view path);

// The first repair with `code` anywhere in the tree, or nullptr.
const Finding* repair(const Node& root, std::string_view code);

// The first header field named `name` (case-insensitive) of `node`, or "" when absent.
std::string header(const Node& node, std::string_view name);

// Parses with default limits and fails the test (with the rejection) when there is no tree.
Node parse_ok(std::string_view message, const Limits& limits = Limits{});

}  // namespace mugai::mime::test
