// Hostile markup: bounded time, bounded output, a verdict for everything, no exception.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>

#include "html_test_support.h"
#include "mugai/charset/charset.h"

using namespace mugai::test;
using mugai::Action;

namespace {

double seconds_for(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("10,000 nested divs stop at the depth limit, quickly", "[html][hostile]") {
  mugai::Outcome out;
  const double took = seconds_for([&] { out = run_html(repeat("<div>", 10'000) + "deep text"); });
  CHECK(took < 20.0);  // a hang guard, not a speed goal (those live in bench/)
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.html-depth"));
  CHECK(out.bytes.empty());
}

TEST_CASE("nesting within the limit converts", "[html][hostile]") {
  CHECK(html_text(repeat("<div>", 200) + "ok") == "ok\n");
}

TEST_CASE("a megabyte of unclosed tags finishes quickly", "[html][hostile]") {
  struct Case {
    std::string name;
    std::string html;
    bool converted;
  };
  const std::vector<Case> cases{
      {"unclosed p", repeat("<p>x", 250'000), true},
      {"unclosed b", repeat("<b>", 350'000), false},
      {"unclosed a", repeat("<a href=\"http://x.example/\">", 40'000), true},
      {"unclosed td", repeat("<table><tr><td>", 70'000), false},
      {"stray end tags", repeat("<div>", 250) + repeat("</span>", 150'000), true},
      {"bare <", std::string(1'000'000, '<'), true},
      {"unterminated comment", "<!--" + std::string(1'000'000, '-'), true},
      {"unterminated attribute", "<p title=\"" + std::string(1'000'000, 'x'), true},
      {"100,000 attributes", "<p" + repeat(" a", 1) + [] {
         std::string a;
         for (int i = 0; i < 100'000; ++i) a += " a" + std::to_string(i) + "=1";
         return a;
       }() + ">hi", true},
      {"nested lists with line breaks", repeat("<ul><li>", 8) + repeat("<br>x", 200'000), false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    mugai::Outcome out;
    const double took = seconds_for([&] { out = run_html(c.html); });
    CHECK(took < 30.0);  // a hang guard, not a speed goal
    CHECK((out.action == Action::converted) == c.converted);
    if (out.action != Action::converted) {
      CHECK(out.bytes.empty());
      CHECK_FALSE(out.findings.empty());
    }
    CHECK(out.bytes.size() <= 4 * c.html.size() + (1 << 20));
  }
}

TEST_CASE("a passed deadline removes the part", "[html][hostile]") {
  TestContext test(std::chrono::milliseconds(-1));
  const mugai::sanitizers::html::HtmlSanitizer module;
  const mugai::Outcome out =
      module.run(make_part("<p>x</p>", "", "text/html", mugai::TypeClass::html), "to-text", {}, test.context);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("the deadline stops a long parse midway", "[html][hostile]") {
  TestContext test(std::chrono::milliseconds(50));
  const mugai::sanitizers::html::HtmlSanitizer module;
  const std::string html = std::string(10'000'000, '&');  // one parser error per byte
  mugai::Outcome out;
  const double took = seconds_for([&] {
    out = module.run(make_part(html, "utf-8", "text/html", mugai::TypeClass::html), "to-text", {}, test.context);
  });
  CHECK(took < 20.0);  // a hang guard, not a speed goal (those live in bench/)
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("random bytes and random markup never throw and give valid UTF-8", "[html][hostile]") {
  std::uint64_t state = 0xC0FFEE;
  const char* pieces[] = {"<p>", "</p>", "<a href=\"", "javascript:", "\">", "<table><tr><td>", "</td>", "<li>",
                          "<ul>", "<pre>", "</pre>", "<br>", "&amp;", "&#", "<!--", "-->", "<script>", "</script>",
                          "\"", "'", "=", " ", "\n", "日本語", "<img alt=", "begin 644 x\n", "M86)C\n", "end\n"};
  const char* labels[] = {"", "utf-8", "shift_jis", "iso-2022-jp", "euc-jp", "bogus"};
  for (int round = 0; round < 400; ++round) {
    std::string html;
    if (round % 2 == 0) {
      html = random_bytes(state, static_cast<std::size_t>(round * 13 % 4000));
    } else {
      const std::string choice = random_bytes(state, 300);
      for (char c : choice) html += pieces[static_cast<unsigned char>(c) % std::size(pieces)];
    }
    CAPTURE(round);
    const mugai::Outcome out = run_html(html, labels[round % 6]);
    CHECK((out.action == Action::converted || out.action == Action::removed));
    CHECK(mugai::charset::is_valid_utf8(out.bytes));
    if (out.action == Action::converted) {
      const mugai::Outcome again = run_html(out.bytes, "utf-8");
      CHECK(again.extracted.empty());
    }
  }
}
