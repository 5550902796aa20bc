#include "mime_test_support.h"

#include <algorithm>
#include <catch2/catch.hpp>

namespace mugai::mime::test {

std::string crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

const Node* at(const Node& root, std::string_view path) {
  if (root.path == path) return &root;
  for (const Node& child : root.children)
    if (const Node* found = at(child, path)) return found;
  return nullptr;
}

const Finding* repair(const Node& root, std::string_view code) {
  for (const Finding& finding : root.repairs)
    if (finding.code == code) return &finding;
  for (const Node& child : root.children)
    if (const Finding* found = repair(child, code)) return found;
  return nullptr;
}

std::string header(const Node& node, std::string_view name) {
  for (const Header& field : node.headers)
    if (field.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), field.name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return field.raw_value;
  return {};
}

Node parse_ok(std::string_view message, const Limits& limits) {
  ParseResult result = parse(message, limits);
  INFO("rejected: " << result.rejection_code << ": " << result.rejection_reason);
  REQUIRE(result.root.has_value());
  return std::move(*result.root);
}

}  // namespace mugai::mime::test
