// re-encode on the generated samples: every allowed format becomes a PNG (or JPEG) with nothing
// of the input container left: metadata, text chunks, appended archives, further frames.
#include <catch2/catch.hpp>

#include "image/end_marker.h"
#include "image_test_support.h"

using mugai::Action;
using mugai::test::contains;
using mugai::test::has_finding;
using mugai::test::image_sample;
using mugai::test::run_image;

TEST_CASE("every allowed format is re-encoded to PNG with nothing after IEND") {
  // JPEGs become PNG only when a rule says format: png; by default they stay JPEG (below).
  for (const char* name : {"benign.png", "benign.jpg", "image.tiff", "image.webp", "animated.gif", "metadata.jpg",
                           "text-chunks.png", "appended-zip.png", "appended-pe.jpg"}) {
    INFO(name);
    const std::string input = image_sample(name);
    REQUIRE(!input.empty());
    const bool jpeg_input = std::string_view(name).ends_with(".jpg");
    const mugai::Outcome out =
        jpeg_input ? run_image(input, {{"format", "png"}}) : run_image(input);
    REQUIRE(out.action == Action::converted);
    CHECK(out.content_type == "image/png");
    CHECK(out.filename == "photo.png");
    CHECK(out.bytes.starts_with(mugai::test::kPngSignature));
    CHECK(mugai::sanitizers::image::bytes_after_end(out.bytes) == std::size_t{0});
    CHECK(!contains(out.bytes, mugai::test::kSecret));
    CHECK(!contains(out.bytes, "payload.vbs"));
    CHECK(!contains(out.bytes, "tEXt"));
    CHECK(!contains(out.bytes, "iTXt"));
    CHECK(!contains(out.bytes, "eXIf"));
  }
}

TEST_CASE("the report names metadata, appended data and dropped frames") {
  const mugai::Outcome metadata = run_image(image_sample("metadata.jpg"));
  CHECK(has_finding(metadata, "image.metadata"));
  CHECK(mugai::test::finding(metadata, "image.metadata")->detail.find("exif-data") != std::string::npos);
  CHECK(has_finding(run_image(image_sample("text-chunks.png")), "image.metadata"));

  const mugai::Outcome zip = run_image(image_sample("appended-zip.png"));
  REQUIRE(has_finding(zip, "image.trailing-data"));
  CHECK(zip.reason.find("after the end") != std::string::npos);
  CHECK(has_finding(run_image(image_sample("appended-pe.jpg")), "image.trailing-data"));
  CHECK(!has_finding(run_image(image_sample("benign.png")), "image.trailing-data"));
  CHECK(!has_finding(run_image(image_sample("benign.jpg")), "image.trailing-data"));

  const mugai::Outcome gif = run_image(image_sample("animated.gif"), {}, "anim.gif", "image/gif");
  REQUIRE(has_finding(gif, "image.frames-dropped"));
  CHECK(mugai::test::finding(gif, "image.frames-dropped")->detail == "first of 3 frames/pages kept");
  CHECK(gif.filename == "anim.png");
}

TEST_CASE("the input walk finds what the output walk must not") {
  CHECK(mugai::sanitizers::image::bytes_after_end(image_sample("appended-zip.png")).value_or(0) > 0);
  CHECK(mugai::sanitizers::image::bytes_after_end(image_sample("appended-pe.jpg")).value_or(0) > 0);
  CHECK(contains(image_sample("metadata.jpg"), mugai::test::kSecret));
  CHECK(contains(image_sample("text-chunks.png"), mugai::test::kSecret));
}

TEST_CASE("by default a JPEG stays a JPEG, without metadata or appended data") {
  for (const char* name : {"benign.jpg", "metadata.jpg", "appended-pe.jpg"}) {
    INFO(name);
    const mugai::Outcome out = run_image(image_sample(name), {}, "写真.JPG", "image/jpeg");
    REQUIRE(out.action == Action::converted);
    CHECK(out.content_type == "image/jpeg");
    CHECK(out.filename == "写真.jpg");
    CHECK(out.reason.find("JPEG image re-encoded as JPEG") != std::string::npos);
    CHECK(out.bytes.starts_with("\xFF\xD8"));
    CHECK(mugai::sanitizers::image::bytes_after_end(out.bytes) == std::size_t{0});
    CHECK(!contains(out.bytes, mugai::test::kSecret));
    CHECK(!contains(out.bytes, "Exif"));
    CHECK(!contains(out.bytes, "payload.vbs"));
  }
  // format: auto is the default spelled out; lossless inputs still become PNG.
  CHECK(run_image(image_sample("benign.jpg"), {{"format", "auto"}}).content_type == "image/jpeg");
  CHECK(run_image(image_sample("image.tiff"), {{"format", "auto"}}).content_type == "image/png");
}

namespace {

// "H:V" of the luma component's sampling factors in the JPEG's frame header: "2:2" for 4:2:0
// chroma, "1:1" for 4:4:4 (chroma components are 1:1 in both).
std::string luma_sampling(std::string_view jpeg) {
  for (std::size_t at = 2; at + 12 < jpeg.size();) {
    if (static_cast<unsigned char>(jpeg[at]) != 0xFF) return "no marker";
    const auto marker = static_cast<unsigned char>(jpeg[at + 1]);
    const std::size_t length = (static_cast<unsigned char>(jpeg[at + 2]) << 8) | static_cast<unsigned char>(jpeg[at + 3]);
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      const auto factors = static_cast<unsigned char>(jpeg[at + 11]);  // first component's H<<4|V
      return std::to_string(factors >> 4) + ":" + std::to_string(factors & 15);
    }
    at += 2 + length;
  }
  return "no frame header";
}

}  // namespace

TEST_CASE("a re-encoded JPEG keeps the chroma resolution it came with") {
  REQUIRE(luma_sampling(image_sample("benign.jpg")) == "2:2");
  REQUIRE(luma_sampling(image_sample("full-chroma.jpg")) == "1:1");
  const mugai::Outcome subsampled = run_image(image_sample("benign.jpg"));
  REQUIRE(subsampled.action == Action::converted);
  CHECK(luma_sampling(subsampled.bytes) == "2:2");
  const mugai::Outcome full = run_image(image_sample("full-chroma.jpg"));
  REQUIRE(full.action == Action::converted);
  CHECK(luma_sampling(full.bytes) == "1:1");
  // Not from a JPEG: libvips' own rule (full chroma at quality 90 and above).
  const mugai::Outcome from_png = run_image(image_sample("benign.png"), {{"format", "jpeg"}}, "a.png", "image/png");
  REQUIRE(from_png.action == Action::converted);
  CHECK(luma_sampling(from_png.bytes) == "1:1");
}

TEST_CASE("format: jpeg writes a JPEG without metadata") {
  const mugai::Outcome out = run_image(image_sample("metadata.jpg"), {{"format", "jpeg"}}, "写真.JPG");
  REQUIRE(out.action == Action::converted);
  CHECK(out.content_type == "image/jpeg");
  CHECK(out.filename == "写真.jpg");
  CHECK(out.bytes.starts_with("\xFF\xD8"));
  CHECK(mugai::sanitizers::image::bytes_after_end(out.bytes) == std::size_t{0});
  CHECK(!contains(out.bytes, mugai::test::kSecret));
  CHECK(!contains(out.bytes, "Exif"));
}

TEST_CASE("a second pass finds nothing more to remove") {
  const mugai::Outcome first = run_image(image_sample("metadata.jpg"), {{"format", "png"}});
  REQUIRE(first.action == Action::converted);
  const mugai::Outcome second = run_image(first.bytes, {}, "photo.png", "image/png");
  CHECK(second.action == Action::kept);
  CHECK(second.findings.empty());
  CHECK(second.bytes.empty());
  // JPEG output is not kept: re-encoding JPEG is lossy, so the bytes differ every time.
  const mugai::Outcome jpeg = run_image(first.bytes, {{"format", "jpeg"}}, "photo.png", "image/png");
  CHECK(jpeg.action == Action::converted);
}

TEST_CASE("frames: all keeps a GIF animation, re-encoded as GIF without its comment") {
  const std::string gif = image_sample("animated.gif");
  const mugai::Outcome out = run_image(gif, {{"frames", "all"}}, "anim.gif", "image/gif");
  REQUIRE(out.action == Action::converted);
  CHECK(out.content_type == "image/gif");
  CHECK(out.filename.empty());  // still .gif
  CHECK(!has_finding(out, "image.frames-dropped"));
  CHECK(out.bytes.starts_with("GIF8"));
  CHECK(!contains(out.bytes, mugai::test::kSecret));
  CHECK(out.reason.find("3 frames") != std::string::npos);
  // All frames count against max_pixels: 3 x 32 x 32 = 3072.
  CHECK(has_finding(run_image(gif, {{"frames", "all"}, {"max_pixels", "3071"}}, "a.gif", "image/gif"),
                    "limit.image-pixels"));
  // Other formats keep their first frame/page whatever `frames` says.
  CHECK(run_image(image_sample("benign.png"), {{"frames", "all"}}).content_type == "image/png");
}
