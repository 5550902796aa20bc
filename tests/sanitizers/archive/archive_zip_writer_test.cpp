// The repacking writer: what does not compress is stored, what does is deflated, and both read back.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "archive/zip_writer.h"

namespace {

std::uint32_t le(const std::string& bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
  return value;
}

// name -> compression method, from the central directory (found through the end record).
std::map<std::string, std::uint32_t> methods(const std::string& zip) {
  const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
  REQUIRE(end != std::string::npos);
  std::size_t at = le(zip, end + 16, 4);
  std::map<std::string, std::uint32_t> out;
  for (std::uint32_t entry = 0, count = le(zip, end + 10, 2); entry < count; ++entry) {
    REQUIRE(zip.compare(at, 4, std::string("PK\x01\x02", 4)) == 0);
    const std::uint32_t name_length = le(zip, at + 28, 2);
    out[zip.substr(at + 46, name_length)] = le(zip, at + 10, 2);
    at += 46 + name_length + le(zip, at + 30, 2) + le(zip, at + 32, 2);
  }
  return out;
}

}  // namespace

TEST_CASE("repacking stores members that do not compress and deflates the rest", "[archive][repack]") {
  std::mt19937 random(7);
  std::string noise(200 * 1024, '\0');
  for (char& byte : noise) byte = static_cast<char>(random());
  std::string text;
  while (text.size() < 200 * 1024) text += "令和7年度 予算要求資料の提出について。\n";

  mugai::sanitizers::archive::ZipWriter writer;
  REQUIRE(writer.add("写真.jpg", noise, 315532800));
  REQUIRE(writer.add("memo.txt", text, 315532800));
  REQUIRE(writer.add("small.bin", noise.substr(0, 1000), 315532800));  // too small to sample: deflated
  const std::optional<std::string> zip = writer.finish();
  REQUIRE(zip.has_value());
  const auto found = methods(*zip);
  CHECK(found.at("写真.jpg") == 0);   // stored
  CHECK(found.at("memo.txt") == 8);   // deflated
  CHECK(found.at("small.bin") == 8);
  CHECK(zip->size() < noise.size() + text.size() / 4);  // the text really was compressed
  CHECK(zip->find(noise.substr(1000, 64)) != std::string::npos);  // the noise is there as it is
}
