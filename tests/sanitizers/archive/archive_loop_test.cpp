// Loop (quine) detection in the recursion path: a member whose bytes equal an enclosing
// archive's is removed, and the enclosing archive with it. A real quine (r.zip) needs Cox's
// construction; here the ancestry is seeded with the digest of a member instead, which drives
// the same check in part_processor.cpp.
#include <catch2/catch.hpp>

#include "archive_test_support.h"
#include "mugai/core/digest.h"
#include "part_processor.h"

using mugai::Action;
using namespace archive_test;

TEST_CASE("a member identical to an enclosing archive is a loop: the archive is removed", "[archive][limits]") {
  const std::string bytes = sample("plain.zip");
  mugai::Context context{config().limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  context.enclosing_sha256.push_back(mugai::core::sha256_hex("hello\n"));  // plain.zip's first member
  const mugai::core::LeafInput input{"2", bytes, "", "", "plain.zip", false};
  const mugai::core::LeafResult result = mugai::core::process_leaf(input, config().profiles.at("test"), context);
  CHECK_FALSE(result.delivered);
  CHECK(result.report.reason == "removed: the member is a copy of an archive that contains it (quine)");
  REQUIRE_FALSE(result.report.members.empty());
  CHECK(has_finding(result.report.members.front().findings, "archive.loop"));
  CHECK(context.enclosing_sha256.size() == 1);  // the recursion left the ancestry as it found it
}
