// Bombs, blocked formats, damage, bad options and late inputs: each gets a named verdict.
#include <catch2/catch.hpp>

#include "image_test_support.h"

using mugai::Action;
using mugai::test::has_finding;
using mugai::test::image_sample;
using mugai::test::run_image;

TEST_CASE("a huge declared size is removed before any pixel is decoded") {
  const mugai::Outcome out = run_image(image_sample("huge-dimensions.png"), {}, "bomb.png", "image/png");
  CHECK(out.action == Action::removed);
  REQUIRE(has_finding(out, "limit.image-pixels"));
  CHECK(out.reason.find("before decoding") != std::string::npos);
  CHECK(out.reason.find("100000 x 100000") != std::string::npos);
  CHECK(mugai::test::finding(out, "limit.image-pixels")->detail == "100000x100000");
}

TEST_CASE("max_pixels is configurable") {
  const std::string benign = image_sample("benign.png");  // 64 x 48
  CHECK(has_finding(run_image(benign, {{"max_pixels", "3071"}}), "limit.image-pixels"));
  CHECK(run_image(benign, {{"max_pixels", "3072"}}).action == Action::converted);
}

TEST_CASE("SVG is active content and removed") {
  const std::string svg = image_sample("script.svg");
  const mugai::Outcome declared = run_image(svg, {}, "logo.svg", "image/svg+xml");
  CHECK(declared.action == Action::removed);
  CHECK(has_finding(declared, "image.svg"));
  // Even when libmagic said otherwise, the loader recognises SVG and it is refused.
  const mugai::Outcome sniffed = run_image(svg, {}, "logo.png", "image/png");
  CHECK(sniffed.action == Action::removed);
  CHECK(has_finding(sniffed, "image.svg"));
}

TEST_CASE("BMP is removed: libvips reads it only through an untrusted loader") {
  const mugai::Outcome out = run_image(image_sample("image.bmp"), {}, "scan.bmp", "image/bmp");
  CHECK(out.action == Action::removed);
  REQUIRE(has_finding(out, "image.unsupported-format"));
  CHECK(out.reason.find("BMP") != std::string::npos);
}

TEST_CASE("damaged and non-image input is removed") {
  const std::string png = image_sample("benign.png");
  const std::string jpeg = image_sample("benign.jpg");
  for (const std::string& bytes : {std::string(), std::string("not an image"), png.substr(0, 40),
                                   jpeg.substr(0, jpeg.size() / 2), std::string("\xFF\xD8\xFF\xE0", 4)}) {
    const mugai::Outcome out = run_image(bytes);
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "image.malformed"));
  }
}

TEST_CASE("random damage never escapes as a crash or an exception") {
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  for (const char* name : {"benign.png", "benign.jpg", "animated.gif", "image.tiff", "image.webp"}) {
    const std::string original = image_sample(name);
    for (int round = 0; round < 60; ++round) {
      std::string damaged = original;
      const std::size_t at = static_cast<std::size_t>(state % damaged.size());
      damaged.replace(at, std::min<std::size_t>(6, damaged.size() - at), mugai::test::random_bytes(state, 6));
      const mugai::Outcome out = run_image(damaged);
      CHECK((out.action == Action::converted || out.action == Action::removed));
      if (out.action == Action::removed) CHECK(!out.findings.empty());
    }
  }
}

TEST_CASE("bad options, other actions and a passed deadline remove the image") {
  const std::string png = image_sample("benign.png");
  CHECK(has_finding(run_image(png, {{"format", "gif"}}), "module.options"));
  CHECK(has_finding(run_image(png, {{"max_pixels", "0"}}), "module.options"));
  CHECK(has_finding(run_image(png, {{"strip", "yes"}}), "module.options"));
  mugai::test::TestContext late(std::chrono::milliseconds(-1));
  mugai::Part part;
  part.bytes = png;
  part.detected.cls = mugai::TypeClass::image;
  const mugai::sanitizers::image::ImageSanitizer module;
  CHECK(has_finding(module.run(part, "re-encode", {}, late.context), "limit.max-seconds"));
  mugai::test::TestContext fresh;
  CHECK(module.run(part, "strip-active", {}, fresh.context).action == Action::removed);
}
