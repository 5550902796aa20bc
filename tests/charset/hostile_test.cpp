// Hostile sizes: every input finishes fast and within the documented bounds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>
#include <string>

#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"

using namespace mugai::charset;

namespace {

// Runs one piece of work on a huge input. No wall-clock assertion (timed tests fail on a loaded
// machine): a quadratic path on these 1 MB inputs runs for hours and is stopped by the ctest
// timeout; speed lives in bench/.
template <typename F>
auto timed(F&& work) {
  return work();
}

std::string repeat(const std::string& unit, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  return out;
}

constexpr std::size_t kMegabyte = 1024 * 1024;

}  // namespace

TEST_CASE("1 MB header values decode in linear time", "[charset][hostile]") {
  for (const std::string_view unit : {"=?", "=?utf-8?", "=?utf-8?Q?", "=?utf-8?Q?a?", "=?utf-8?B?QUJD?= ",
                                 "=?ISO-2022-JP?B?GyRCRg==?=", "=?a?Q?=?b?B?", "\x82\xA0", "\x1B$B\x24",
                                 "a ", "=?x?Q?\xFF?= "}) {
    INFO(std::string(unit.substr(0, 12)));
    const std::string value = repeat(std::string(unit), kMegabyte);
    const std::string decoded = timed([&] { return decode_header_text(value); });
    CHECK(is_valid_utf8(decoded));
    CHECK(decoded.size() <= value.size() * 3);
  }
  // A 1 MB run of words with alternating charsets: one decode per word.
  const std::string alternating = repeat("=?utf-8?Q?a?= =?shift_jis?Q?b?= =?euc-jp?Q?c?= ", kMegabyte);
  const std::string decoded = timed([&] { return decode_header_text(alternating); });
  CHECK(decoded.substr(0, 6) == "abcabc");
}

TEST_CASE("1 MB inputs elsewhere", "[charset][hostile]") {
  const std::string sjis = std::string(kMegabyte, '\xFF');  // invalid in every candidate
  CHECK(timed([&] { return to_utf8(sjis, "").invalid_sequences; }) > 0);
  CHECK(timed([&] { return detect(sjis); }).size() > 0);
  const std::string text = repeat("日本語①😀 ", kMegabyte);
  CHECK(timed([&] { return decode_header_text(encode_header_text(text, "Subject")); }) == text);
  CHECK_FALSE(timed([&] { return utf8_to_iso2022jp(text); }).has_value());
  CHECK(timed([&] { return parse_parameters("a; name=\"" + repeat("\x95\x5C", kMegabyte) + "\""); }).params.size() == 1);
  CHECK(timed([&] { return parse_parameters("a; " + repeat("((((", kMegabyte)); }).params.empty());
}

TEST_CASE("10,000 parameters: bounded, fast, recorded", "[charset][hostile]") {
  std::string value = "attachment";
  for (int i = 0; i < 10000; ++i) value += "; p" + std::to_string(i) + "=\"v\"";
  const auto parsed = timed([&] { return parse_parameters(value); });
  CHECK(parsed.params.size() == kMaxParameters);
  CHECK(parsed.params.contains("p0"));
  CHECK_FALSE(parsed.params.contains("p9999"));
  CHECK(parsed.problems.size() <= kMaxProblems + 1);
  CHECK(std::any_of(parsed.problems.begin(), parsed.problems.end(),
                    [](const std::string& p) { return p.find("9936 parameter(s) beyond the limit") != std::string::npos; }));
}

TEST_CASE("10,000 duplicates and 10,000 continuation segments: bounded", "[charset][hostile]") {
  std::string duplicates = "attachment";
  for (int i = 0; i < 10000; ++i) duplicates += "; name=x";
  const auto parsed = timed([&] { return parse_parameters(duplicates); });
  CHECK(parsed.params.at("name") == "x");
  CHECK(parsed.problems.size() == kMaxProblems + 1);  // capped, then "N further"

  std::string segments = "attachment";
  for (int i = 0; i < 10000; ++i) segments += "; name*" + std::to_string(i) + "*=%41";
  segments += "; name*99999999999999999999=x";
  const auto joined = timed([&] { return parse_parameters(segments); });
  CHECK(joined.params.at("name") == std::string(kMaxContinuationSegments, 'A'));
  CHECK(std::any_of(joined.problems.begin(), joined.problems.end(), [](const std::string& p) {
    return p.find("9745 continuation segment(s) beyond the limit") != std::string::npos;
  }));
}

TEST_CASE("random mixtures of header syntax never break the output contracts", "[charset][hostile]") {
  // Deterministic pseudo-random inputs built from the pieces parsers trip over.
  static const std::vector<std::string> kPieces = {
      "=?", "?=", "?", "=", "_", "%", "%1B", "%24", "%42", "'", "''", "\"", "\\", ";", "*", "*0", "*1*", "(", ")",
      " ", "\t", "\r\n ", "name", "filename", "UTF-8", "ISO-2022-JP", "shift_jis", "Q", "B", "GyRC", "5pel",
      "\x1B$B", "\x1B(B", "\x1B(I", "\x0E", "\x0F", "\x82", "\xA0", "\x95\x5C", "\xE3\x81", "\x82\xA0", "\xFF",
      "\x87\x40", "\xAD\xA1", "\x00", "a", "0"};
  std::uint32_t state = 12345;
  const auto next = [&] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7FFF; };
  for (int round = 0; round < 5000; ++round) {
    std::string input;
    const std::size_t pieces = next() % 40;
    for (std::size_t i = 0; i < pieces; ++i) input += kPieces[next() % kPieces.size()];
    INFO(input);
    const std::string text = decode_header_text(input);
    REQUIRE(is_valid_utf8(text));
    REQUIRE(text.find_first_of("\r\n", 0) == std::string::npos);
    const auto parsed = parse_parameters(input);
    REQUIRE(is_valid_utf8(parsed.value));
    REQUIRE(parsed.params.size() <= kMaxParameters);
    REQUIRE(parsed.problems.size() <= kMaxProblems + 1);
    for (const auto& [name, value] : parsed.params) {
      REQUIRE(is_valid_utf8(name));
      REQUIRE(is_valid_utf8(value));
      REQUIRE(value.find_first_of(std::string("\r\n\0", 3)) == std::string::npos);
    }
    for (const char* label : {"", "iso-2022-jp", "shift_jis", "euc-jp", "utf-8", "us-ascii", "utf-16"})
      REQUIRE(is_valid_utf8(to_utf8(input, label).utf8));
    const std::string encoded = encode_header_text(text, "Subject");
    for (char c : encoded) REQUIRE(static_cast<unsigned char>(c) < 0x80);
    // Blanks at either end may be trimmed (plain ASCII is sent as is), nothing else changes.
    const auto trimmed = [](std::string value) {
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      return value;
    };
    REQUIRE(trimmed(decode_header_text(encoded)) == trimmed(text));
    if (const auto jis = utf8_to_iso2022jp(text)) REQUIRE(to_utf8(*jis, "iso-2022-jp").utf8 == text);
  }
}
