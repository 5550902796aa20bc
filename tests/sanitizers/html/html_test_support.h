// Running the html module on a string, for the html tests.
#pragma once

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "html/html_sanitizer.h"
#include "sanitizer_test_support.h"

namespace mugai::test {

inline Outcome run_html(std::string_view bytes, std::string charset = "", ModuleOptions options = {}) {
  TestContext test;
  const sanitizers::html::HtmlSanitizer module;
  return module.run(make_part(bytes, std::move(charset), "text/html", TypeClass::html), "to-text", options,
                    test.context);
}

// Just the text; the test fails if the part was not converted.
inline std::string html_text(std::string_view bytes, std::string charset = "") {
  const Outcome out = run_html(bytes, std::move(charset));
  CHECK(out.action == Action::converted);
  return out.bytes;
}

}  // namespace mugai::test
