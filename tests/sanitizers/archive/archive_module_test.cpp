// The module on its own: fail closed outside the pipeline, bad options, unknown actions.
#include <catch2/catch.hpp>

#include "archive/archive_sanitizer.h"
#include "archive_test_support.h"

using mugai::Action;
using namespace archive_test;

namespace {

mugai::Part part_of(const std::string& bytes, const std::string& name) {
  mugai::Part part{bytes, "", "", name, {}};
  part.detected.mime = "application/zip";
  part.detected.cls = mugai::TypeClass::archive;
  return part;
}

}  // namespace

TEST_CASE("without the pipeline's recursion hook nothing is extracted", "[archive][module]") {
  const mugai::sanitizers::archive::ArchiveSanitizer module;
  const std::string bytes = sample("plain.zip");
  mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  const mugai::Outcome out = module.run(part_of(bytes, "plain.zip"), "extract-and-recurse", {}, context);
  CHECK(out.action == Action::removed);
  CHECK(out.bytes.empty());
  CHECK(has_finding(out.findings, "archive.no-recursion"));
}

TEST_CASE("every member is offered to the hook, unknown options and actions fail closed", "[archive][module]") {
  const mugai::sanitizers::archive::ArchiveSanitizer module;
  const std::string bytes = sample("plain.zip");
  mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  std::vector<std::string> seen;
  context.recurse = [&](const mugai::Extracted& member) {
    seen.push_back(member.filename);
    mugai::MemberVerdict verdict;
    verdict.action = Action::kept;
    verdict.bytes = member.bytes;
    verdict.filename = member.filename;
    return verdict;
  };
  context.record = [](const mugai::Extracted&, Action, std::string, std::vector<mugai::Finding>) {};
  const mugai::Outcome out = module.run(part_of(bytes, "plain.zip"), "extract-and-recurse", {}, context);
  CHECK(out.action == Action::sanitized);
  CHECK(seen == std::vector<std::string>{"hello.txt", "資料/日本語.txt", "tools/update.exe", "dup.txt", "DUP (2).txt"});
  CHECK(context.archive_entries == 5);

  const mugai::Outcome bad = module.run(part_of(bytes, "plain.zip"), "extract-and-recurse", {{"repack", "rar"}}, context);
  CHECK(bad.action == Action::removed);
  CHECK(has_finding(bad.findings, "module.options"));
  const mugai::Outcome wrong = module.run(part_of(bytes, "plain.zip"), "keep", {}, context);
  CHECK(wrong.action == Action::removed);
  CHECK_FALSE(module.supports("keep"));
}

TEST_CASE("garbage labelled as an archive is removed, never passed", "[archive][module]") {
  const mugai::sanitizers::archive::ArchiveSanitizer module;
  // A local header (no encryption flag) whose sizes and data are junk.
  const std::string bytes = std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + std::string(40, '\xff');
  mugai::Limits limits;
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  context.recurse = [](const mugai::Extracted&) { return mugai::MemberVerdict{}; };
  context.record = [](const mugai::Extracted&, Action, std::string, std::vector<mugai::Finding>) {};
  const mugai::Outcome out = module.run(part_of(bytes, "x.zip"), "extract-and-recurse", {}, context);
  CHECK(out.action == Action::removed);
  CHECK(out.bytes.empty());
}
