// The markup guard on its own: attribute caps that follow libxml2's tokenisation.
#include <catch2/catch.hpp>

#include "html/markup_guard.h"

using mugai::sanitizers::html::guard_markup;

namespace {
std::string attributes(std::size_t count, const std::string& value = "") {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += " a" + std::to_string(i) + value;
  return out;
}
}  // namespace

TEST_CASE("ordinary markup passes through unchanged", "[html][guard]") {
  const std::string html =
      "<!DOCTYPE html><html lang=ja><body class=\"x\" data-a='1 > 2'><p title=\"a<b\">x &amp; y</p>"
      "<a href=/x?a=1&b=2>l</a><br/><img src=a.png alt=\"画像\"></body></html>";
  const auto guarded = guard_markup(html);
  CHECK(guarded.tags_cut == 0);
  // Only '<' inside attribute values changes, to "&lt;" (libxml2 reads it back as '<').
  std::string expected = html;
  expected.replace(expected.find("a<b"), 3, "a&lt;b");
  CHECK(guarded.markup == expected);
}

TEST_CASE("a tag keeps at most 64 attributes", "[html][guard]") {
  const auto guarded = guard_markup("<p" + attributes(100, "=1") + ">text</p>");
  CHECK(guarded.tags_cut == 1);
  CHECK(guarded.markup == "<p" + attributes(64, "=1") + " >text</p>");
  const auto quoted = guard_markup("<p" + attributes(100, "=\"v>\"") + "/>after");
  CHECK(quoted.markup == "<p" + attributes(64, "=\"v>\"") + " />after");
}

TEST_CASE("long names count as libxml2 splits them", "[html][guard]") {
  const auto guarded = guard_markup("<p " + std::string(100 * 70, 'a') + ">x");
  CHECK(guarded.tags_cut == 1);
}

TEST_CASE("control bytes are dropped and line ends unified", "[html][guard]") {
  const auto guarded = guard_markup(std::string("a\0b\x1B\r\nc\rd\x0C" "e", 11));
  CHECK(guarded.markup == "ab\nc\nd e");
  CHECK(guarded.controls_removed == 2);
}

TEST_CASE("'<' in a value can never open a tag libxml2 would count", "[html][guard]") {
  // The guard reads a quoted value that libxml2 (inside a DOCTYPE literal) may not: the '<'
  // inside becomes "&lt;", so no uncounted tag can start there.
  const auto guarded = guard_markup("<!DOCTYPE x \"<q a='><p" + attributes(1000) + ">");
  CHECK(guarded.markup.find("<p") == std::string::npos);
}
