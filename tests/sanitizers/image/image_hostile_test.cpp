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

TEST_CASE("BMP is decoded by gdk-pixbuf's BMP loader (never ImageMagick) and re-encoded") {
  const mugai::Outcome out = run_image(image_sample("appended-pe.bmp"), {}, "scan.bmp", "image/bmp");
  REQUIRE(out.action == Action::converted);
  CHECK(out.content_type == "image/png");
  CHECK(out.filename == "scan.png");
  CHECK(std::string_view(out.bytes).substr(0, 8) == mugai::test::kPngSignature);
  CHECK(!mugai::test::contains(out.bytes, "PE\0\0"));
  CHECK(out.reason.find("BMP image re-encoded as PNG") != std::string::npos);
  const mugai::Outcome jpeg = run_image(image_sample("image.bmp"), {{"format", "jpeg"}}, "scan.bmp", "image/bmp");
  CHECK(jpeg.content_type == "image/jpeg");
}

TEST_CASE("a BMP header claiming billions of pixels is removed before any is allocated") {
  const mugai::Outcome out = run_image(image_sample("huge-dimensions.bmp"), {}, "bomb.bmp", "image/bmp");
  CHECK(out.action == Action::removed);
  REQUIRE(has_finding(out, "limit.image-pixels"));
  CHECK(mugai::test::finding(out, "limit.image-pixels")->detail == "100000x100000");
  const std::string bmp = image_sample("image.bmp");
  for (const std::string& damaged : {bmp.substr(0, 30), bmp.substr(0, 60), std::string("BM") + std::string(60, '\xff')}) {
    const mugai::Outcome broken = run_image(damaged, {}, "scan.bmp", "image/bmp");
    CHECK(broken.action == Action::removed);
  }
  // Found by fuzz_image: a header-size field of 0xEC000028 made gdk-pixbuf allocate 4 GB for the
  // header of a 57-byte file. Refused before gdk-pixbuf sees it.
  std::string huge_header = bmp.substr(0, 57);
  huge_header[17] = '\xec';
  const mugai::Outcome refused = run_image(huge_header, {}, "scan.bmp", "image/bmp");
  CHECK(refused.action == Action::removed);
  REQUIRE(has_finding(refused, "image.malformed"));
  CHECK(mugai::test::finding(refused, "image.malformed")->detail.find("implausible BMP header") != std::string::npos);
}

TEST_CASE("svg: rasterize draws an SVG as pixels, the default removes it") {
  const std::string svg = image_sample("script.svg");
  CHECK(run_image(svg, {}, "logo.svg", "image/svg+xml").action == Action::removed);
  const mugai::Outcome drawn = run_image(svg, {{"svg", "rasterize"}}, "logo.svg", "image/svg+xml");
  REQUIRE(drawn.action == Action::converted);
  CHECK(drawn.content_type == "image/png");
  CHECK(drawn.filename == "logo.png");
  CHECK(has_finding(drawn, "image.svg-rasterized"));
  CHECK(!mugai::test::contains(drawn.bytes, "script"));
  const std::string huge = R"(<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>)";
  const mugai::Outcome bomb = run_image(huge, {{"svg", "rasterize"}}, "big.svg", "image/svg+xml");
  CHECK(bomb.action == Action::removed);
  CHECK(has_finding(bomb, "limit.image-pixels"));
  // Not XML, cut short, and no size at all (neither width/height nor viewBox).
  for (const std::string& broken : {std::string("not svg at all"), svg.substr(0, 40),
                                   std::string(R"(<svg xmlns="http://www.w3.org/2000/svg"/>)")}) {
    const mugai::Outcome out = run_image(broken, {{"svg", "rasterize"}}, "x.svg", "image/svg+xml");
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "image.malformed"));
  }
  CHECK(has_finding(run_image(svg, {{"svg", "draw"}}, "x.svg", "image/svg+xml"), "module.options"));
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
