// Hostile sizes and random bytes: always an Outcome, always valid UTF-8, bounded time.
#include <catch2/catch.hpp>


#include "mugai/charset/charset.h"
#include "sanitizer_test_support.h"
#include "text/text_sanitizer.h"
#include "text/utf8_scan.h"

using mugai::Action;
using mugai::Outcome;
using mugai::TypeClass;
using mugai::sanitizers::text::TextSanitizer;
using namespace mugai::test;

namespace {

Outcome run_text(std::string_view bytes, std::string charset) {
  TestContext test;
  const TextSanitizer module;
  return module.run(make_part(bytes, std::move(charset), "text/plain", TypeClass::text), "keep",
                    {{"defang_urls", "true"}}, test.context);
}

bool free_of_controls(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = mugai::sanitizers::text::decode_at(text, pos);
    if (!cp.valid || mugai::sanitizers::text::is_removed_control(cp.value)) return false;
    pos += cp.length;
  }
  return true;
}

}  // namespace

TEST_CASE("random bytes under any label give valid UTF-8 without controls", "[text][hostile]") {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const char* labels[] = {"", "utf-8", "iso-2022-jp", "shift_jis", "euc-jp", "us-ascii", "bogus", "utf-16"};
  for (int round = 0; round < 400; ++round) {
    const std::string bytes = random_bytes(state, static_cast<std::size_t>(round * 7 % 3000));
    const Outcome out = run_text(bytes, labels[round % 8]);
    CAPTURE(round);
    REQUIRE((out.action == Action::kept || out.action == Action::sanitized));
    CHECK(mugai::charset::is_valid_utf8(out.bytes));
    CHECK(free_of_controls(out.bytes));
  }
}

TEST_CASE("random text made of uuencode-looking lines never escapes as a block", "[text][hostile]") {
  std::uint64_t state = 42;
  for (int round = 0; round < 200; ++round) {
    std::string body;
    for (int line = 0; line < 30; ++line) {
      const std::string noise = random_bytes(state, 8);
      switch (static_cast<unsigned char>(noise[0]) % 5) {
        case 0: body += "begin 644 f" + std::to_string(line) + "\n"; break;
        case 1: body += "end\n"; break;
        case 2: body += "M" + std::string(60, static_cast<char>(0x21 + (static_cast<unsigned char>(noise[1]) % 0x3F))) + "\n"; break;
        case 3: body += "begin-base64 644 g\nAAAA\n"; break;
        default: body += noise + "\n"; break;
      }
    }
    const Outcome out = run_text(body, "");
    const Outcome again = run_text(out.bytes, "utf-8");
    CAPTURE(round);
    CHECK(again.extracted.empty());
  }
}

TEST_CASE("ten megabytes of hostile text finish quickly", "[text][hostile]") {
  std::string begins;
  while (begins.size() < 10'000'000) begins += "begin 644 x\n";
  std::string data_lines = "begin 644 big.bin\n";
  while (data_lines.size() < 10'000'000) data_lines += "M" + std::string(60, 'A') + "\n";
  data_lines += "end\n";
  std::string controls(10'000'000, '\x1B');
  std::string urls;
  while (urls.size() < 10'000'000) urls += "http://a.b.c.d.e ";

  for (const std::string* input : {&begins, &data_lines, &controls, &urls}) {
    Outcome out;
    // Linear work finishes in well under a second; a quadratic path would run for hours and is
    // stopped by the ctest timeout. No wall-clock assertion: they fail on a loaded machine.
    out = run_text(*input, "utf-8");
    CHECK(out.action != Action::removed);
  }
  const Outcome big = run_text(data_lines, "utf-8");
  REQUIRE(big.extracted.size() == 1);
  CHECK(big.extracted[0].bytes.size() == (data_lines.size() / 62) * 45);
}
