// The archive module through the real pipeline (core::sanitise, file mode): members recursed,
// report children, every limit's verdict text, names, links, encrypted archives, formats.
#include <catch2/catch.hpp>

#include <regex>

#include "archive_test_support.h"

using mugai::Action;
using mugai::core::PartReport;
using mugai::core::Result;
using namespace archive_test;

namespace {

const PartReport& top(const Result& result) {
  REQUIRE(result.report.parts.size() == 1);
  return result.report.parts.front();
}

const PartReport* member_named(const PartReport& part, const std::string& filename) {
  std::vector<const PartReport*> all;
  collect(part, all);
  for (const PartReport* member : all)
    if (member->filename == filename) return member;
  return nullptr;
}

}  // namespace

TEST_CASE("a ZIP is expanded, members recursed and repacked, executables removed", "[archive][pipeline]") {
  const std::string bytes = sample("plain.zip");
  const Result result = run_file(bytes, "plain.zip");
  REQUIRE(result.delivered);
  const PartReport& zip = top(result);
  CHECK(zip.action == Action::sanitized);
  CHECK(zip.module == "archive");
  CHECK(result.output_filename == "plain.zip");
  REQUIRE(zip.members.size() == 5);
  CHECK(zip.members[0].path == "1/1");
  CHECK(zip.members[0].role == "member");
  CHECK(zip.members[1].filename == "資料/日本語.txt");
  CHECK(zip.members[1].output_filename == "資料/日本語.txt");
  CHECK(zip.members[2].filename == "tools/update.exe");
  CHECK(zip.members[2].detected_class == "executable");
  CHECK(zip.members[2].action == Action::removed);
  CHECK(zip.members[4].filename == "DUP (2).txt");  // dup.txt and DUP.txt collide on Windows
  CHECK(has_finding(zip.findings, "archive.duplicate-name"));
  CHECK(zip.reason == "archive (ZIP 2.0 (deflation)) repacked as ZIP: 4 of 5 files delivered, 1 removed");
  CHECK(result.output.starts_with("PK\x03\x04"));
  CHECK(result.report.to_json().find("\"members\"") != std::string::npos);
  CHECK(result.report.malware_scan == "not performed");
}

TEST_CASE("CP932 member names without the UTF-8 flag are read correctly", "[archive][names]") {
  const std::string bytes = sample("cp932-names.zip");
  const Result result = run_file(bytes, "cp932.zip");
  REQUIRE(result.delivered);
  const PartReport& zip = top(result);
  REQUIRE(zip.members.size() == 2);
  CHECK(zip.members[0].output_filename == "請求書.txt");
  CHECK(zip.members[1].output_filename == "資料/議事録.txt");
  CHECK(has_finding(zip.findings, "archive.name-cp932"));
}

TEST_CASE("traversal, absolute, drive and bidi names are neutralised and reported", "[archive][names]") {
  const std::string bytes = sample("traversal.zip");
  const Result result = run_file(bytes, "traversal.zip");
  REQUIRE(result.delivered);
  const PartReport& zip = top(result);
  std::vector<std::string> names;
  for (const PartReport& member : zip.members) names.push_back(member.output_filename);
  CHECK(names == std::vector<std::string>{"etc/cron.d/evil.txt", "abs/path.txt", "Windows/win.txt", "b.txt", "",
                                          "notefdp.txt", "same.txt", "same (2).txt"});
  CHECK(has_finding(zip.findings, "archive.path-traversal"));
  CHECK(has_finding(zip.findings, "archive.absolute-path"));
  CHECK(has_finding(zip.members[5].findings, "name.bidi-control"));
  CHECK(zip.members[4].action == Action::removed);  // report<RLO>txt.exe: a PE
}

TEST_CASE("links, devices and FIFOs are never followed: removed and reported", "[archive][names]") {
  const std::string bytes = sample("symlink.tar");
  const Result result = run_file(bytes, "links.tar");
  REQUIRE(result.delivered);
  const PartReport& tar = top(result);
  REQUIRE(tar.members.size() == 5);
  CHECK(tar.members[0].action == Action::kept);
  CHECK(tar.members[1].reason == "removed: symbolic link (never followed)");
  CHECK(has_finding(tar.members[1].findings, "archive.symlink"));
  CHECK(tar.members[2].reason == "removed: hard link (never followed)");
  CHECK(tar.members[3].reason == "removed: device file");
  CHECK(tar.members[4].reason == "removed: not a regular file");
  CHECK(result.output_filename == "links.zip");

  const std::string zip_bytes = sample("symlink.zip");
  const Result zip = run_file(zip_bytes, "links.zip");
  CHECK(top(zip).members[0].reason == "removed: symbolic link (never followed)");
}

TEST_CASE("expansion ratio: a 20 MB zero member is stopped while streaming", "[archive][limits]") {
  const std::string bytes = sample("bomb-ratio.zip");
  const Result result = run_file(bytes, "bomb.zip");
  CHECK_FALSE(result.delivered);
  const PartReport& zip = top(result);
  std::smatch match;
  REQUIRE(std::regex_match(zip.reason, match, std::regex(R"(removed: expansion ratio (\d+) > 100)")));
  CHECK(std::stoul(match[1]) > 100);
  CHECK(has_finding(zip.findings, "limit.max-expand-ratio"));
}

TEST_CASE("overlapping entries sharing one kernel are caught by the ratio", "[archive][limits]") {
  const std::string bytes = sample("bomb-overlap.zip");
  const Result result = run_file(bytes, "overlap.zip");
  CHECK_FALSE(result.delivered);
  CHECK(std::regex_match(top(result).reason, std::regex(R"(removed: expansion ratio \d+ > 100.*)")));
}

TEST_CASE("overlapping entries with the ratio relaxed: the shared total stops them", "[archive][limits]") {
  mugai::core::Config relaxed = config();
  relaxed.limits.max_expand_ratio = 10'000;
  relaxed.limits.max_expand_bytes = 5 << 20;
  const std::string bytes = sample("bomb-overlap.zip");
  const Result result = run_file(bytes, "overlap.zip", relaxed);
  CHECK_FALSE(result.delivered);
  CHECK(std::regex_match(top(result).reason, std::regex(R"(removed: expanded size \d+ > 5242880 bytes)")));
}

TEST_CASE("Fifield's quoted-overlap bomb: distinct entries, low per-member ratio, caught as a whole",
          "[archive][limits]") {
  const std::string bytes = sample("bomb-quoted-overlap.zip");
  const Result result = run_file(bytes, "quoted.zip");
  CHECK_FALSE(result.delivered);
  const PartReport& zip = top(result);
  CHECK(std::regex_match(zip.reason, std::regex(R"(removed: expansion ratio 10\d > 100 \(whole archive\))")));
  CHECK(zip.members.size() > 10);  // each member alone passed: ~3:1
  CHECK(zip.members.size() < 40);

  mugai::core::Config relaxed = config();
  relaxed.limits.max_expand_ratio = 10'000;
  relaxed.limits.max_expand_bytes = 30 << 20;
  const Result total = run_file(bytes, "quoted.zip", relaxed);
  CHECK_FALSE(total.delivered);
  CHECK(std::regex_match(top(total).reason, std::regex(R"(removed: expanded size \d+ > 31457280 bytes)")));
}

TEST_CASE("single member size limit", "[archive][limits]") {
  mugai::core::Config small = config();
  small.limits.max_member_bytes = 500;
  const std::string bytes = sample("plain.zip");  // holds a 1,024-byte PE
  const Result result = run_file(bytes, "plain.zip", small);
  CHECK_FALSE(result.delivered);
  CHECK(std::regex_match(top(result).reason, std::regex(R"(removed: member size over \d+ > 500 bytes)")));
  CHECK(has_finding(top(result).findings, "limit.max-member-bytes"));
}

TEST_CASE("42.zip-style nesting stops at the depth limit and removes the whole archive", "[archive][limits]") {
  const std::string bytes = sample("bomb-nested.zip");
  const Result result = run_file(bytes, "42.zip");
  CHECK_FALSE(result.delivered);
  const PartReport& zip = top(result);
  CHECK(zip.reason == "removed: archive nesting depth 6 > 5");
  CHECK(has_finding(zip.findings, "limit.max-archive-depth"));
  std::vector<const PartReport*> all;
  collect(zip, all);
  CHECK(all.size() == 6);  // stopped at the first breach, not 2^10 entries
}

TEST_CASE("entry count is a shared budget", "[archive][limits]") {
  const std::string bytes = sample("many-entries.zip");
  const Result result = run_file(bytes, "many.zip");
  CHECK_FALSE(result.delivered);
  CHECK(top(result).reason == "removed: entry count 1001 > 1000");
}

TEST_CASE("an over-long member path removes that member only", "[archive][limits]") {
  const std::string bytes = sample("long-path.zip");
  const Result result = run_file(bytes, "long.zip");
  REQUIRE(result.delivered);
  const PartReport& zip = top(result);
  REQUIRE(zip.members.size() == 2);
  CHECK(zip.members[0].reason == "removed: path length 1208 > 1024 bytes");
  CHECK(zip.members[1].action == Action::kept);
}

TEST_CASE("encrypted archives are held (no password) with the finding the notice needs", "[archive][encrypted]") {
  for (const char* name :
       {"encrypted-zipcrypto.zip", "encrypted-aes.zip", "encrypted.7z", "encrypted-headers.7z", "encrypted.rar"}) {
    INFO(name);
    const std::string bytes = sample(name);
    const Result result = run_file(bytes, name);
    CHECK_FALSE(result.delivered);  // file mode: anything not delivered rejects the file
    const PartReport& part = top(result);
    CHECK(has_finding(part.findings, "archive.encrypted"));
    CHECK(part.reason == "password-protected archive held in quarantine: its content cannot be inspected");
  }
}

TEST_CASE("release passwords: right opens ZipCrypto and AES, wrong is reported, 7z AES unsupported",
          "[archive][encrypted]") {
  const std::string password = "mugai-ppap-2024";
  for (const char* name : {"encrypted-zipcrypto.zip", "encrypted-aes.zip"}) {
    INFO(name);
    const std::string bytes = sample(name);
    const Result right = run_file(bytes, name, config(), {password});
    REQUIRE(right.delivered);
    CHECK(has_finding(top(right).findings, "archive.decrypted"));
    const Result wrong = run_file(bytes, name, config(), {"not-the-password"});
    CHECK_FALSE(wrong.delivered);
    CHECK(has_finding(top(wrong).findings, "archive.password-incorrect"));
    CHECK(top(wrong).reason == "password-protected archive: the password is not correct");
  }
  // libarchive's RAR reader would hand out the (encrypted) bytes: never read, never delivered.
  for (const char* name : {"encrypted.7z", "encrypted-headers.7z", "encrypted.rar"}) {
    INFO(name);
    const std::string bytes = sample(name);
    const Result result = run_file(bytes, name, config(), {password});
    CHECK_FALSE(result.delivered);
    CHECK(has_finding(top(result).findings, "archive.decryption-unsupported"));
  }
}

TEST_CASE("encrypted policy remove and reject-message", "[archive][encrypted]") {
  const mugai::core::LoadResult loaded = mugai::core::load_config_text(R"(
profiles:
  test:
    rules:
      - { match: archive, name: "*.7z", action: extract-and-recurse, options: { encrypted: remove } }
      - { match: archive, action: extract-and-recurse, options: { encrypted: reject-message } }
      - { match: any, action: remove }
select:
  - { default: test }
)");
  REQUIRE(loaded.config);
  const std::string seven = sample("encrypted.7z");
  const Result removed = run_file(seven, "x.7z", *loaded.config);
  CHECK(top(removed).reason == "password-protected archive removed: its content cannot be inspected");
  const std::string zip = sample("encrypted-zipcrypto.zip");
  const Result rejected = run_file(zip, "x.zip", *loaded.config);
  CHECK(top(rejected).reason == "password-protected archives are not accepted");
}

TEST_CASE("LZH with a PE, ISO with a shortcut, RAR, CAB: executables removed", "[archive][formats]") {
  const std::string lzh = sample("pe.lzh");
  const Result lzh_result = run_file(lzh, "setup.lzh");
  CHECK_FALSE(lzh_result.delivered);
  REQUIRE(top(lzh_result).members.size() == 1);
  CHECK(top(lzh_result).members[0].detected_class == "executable");
  CHECK(top(lzh_result).reason == "archive removed: none of its files may cross");

  const std::string iso = sample("shortcut.iso");
  const Result iso_result = run_file(iso, "invoice.iso");
  REQUIRE(iso_result.delivered);
  const PartReport* lnk = member_named(top(iso_result), "invoice.pdf.lnk");
  REQUIRE(lnk != nullptr);
  CHECK(lnk->action == Action::removed);
  CHECK(lnk->detected_class == "executable");
  CHECK(member_named(top(iso_result), "readme.txt")->action == Action::kept);

  const std::string rar = sample("files.rar");
  const Result rar_result = run_file(rar, "files.rar");
  REQUIRE(rar_result.delivered);
  CHECK(member_named(top(rar_result), "setup.exe")->action == Action::removed);
  CHECK(member_named(top(rar_result), "memo.txt")->action == Action::kept);
  CHECK(rar_result.output_filename == "files.zip");

  const std::string cab = sample("files.cab");
  const Result cab_result = run_file(cab, "files.cab");
  REQUIRE(cab_result.delivered);
  CHECK(member_named(top(cab_result), "setup.exe")->action == Action::removed);
  CHECK(member_named(top(cab_result), "memo.txt")->action == Action::kept);
}

TEST_CASE("tar with gzip/bzip2/xz/zstd and single compressed files", "[archive][formats]") {
  for (const char* name : {"memos.tar.gz", "memos.tar.bz2", "memos.tar.xz", "memos.tar.zst"}) {
    INFO(name);
    const std::string bytes = sample(name);
    const Result result = run_file(bytes, name);
    REQUIRE(result.delivered);
    CHECK(result.output_filename == "memos.zip");
    CHECK(member_named(top(result), "memo.txt")->action == Action::kept);
  }
  for (const char* name : {"memo.txt.gz", "memo.txt.bz2", "memo.txt.xz"}) {
    INFO(name);
    const std::string bytes = sample(name);
    const Result result = run_file(bytes, name);
    REQUIRE(result.delivered);
    CHECK(result.output_filename == "memo.txt");  // delivered as what it holds
    CHECK(result.output == "会議は3時からです。\n");
  }
}

TEST_CASE("a docm inside a zip inside a 7z: no macro project crosses", "[archive][nested]") {
  const std::string bytes = sample("docm-in-zip-in.7z");
  const Result result = run_file(bytes, "docs.7z");
  const PartReport* docm = member_named(top(result), "請求書.docm");
  REQUIRE(docm != nullptr);
  CHECK(docm->path == "1/1/1");
  // Whatever handles OOXML (the ooxml module, or default deny without it) the macros are gone:
  // either the member was removed or what was delivered is a different file.
  CHECK((docm->action == Action::removed || docm->sha256_after != docm->sha256_before));
  CHECK(result.output.find("vbaProject.bin") == std::string::npos);
}
