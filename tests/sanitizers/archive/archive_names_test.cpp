// Member names: CP932 decoding, Zip Slip neutralisation, duplicate renaming.
#include <catch2/catch.hpp>

#include "archive/member_path.h"

using namespace mugai::sanitizers::archive;

namespace {

bool has(const std::vector<mugai::Finding>& findings, const std::string& code) {
  for (const auto& finding : findings)
    if (finding.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("CP932 names are decoded with ICU, UTF-8 names kept", "[archive][names]") {
  std::vector<mugai::Finding> findings;
  // 請求書① in CP932 (① is NEC row 13: glibc's SHIFT_JIS cannot read it).
  const std::string cp932 = "\x90\xbf\x8b\x81\x8f\x91\x87\x40.txt";
  CHECK(decode_member_name(cp932, findings) == "請求書①.txt");
  CHECK(has(findings, "archive.name-cp932"));
  findings.clear();
  CHECK(decode_member_name("資料/日本語.txt", findings) == "資料/日本語.txt");
  CHECK(findings.empty());
}

TEST_CASE("absolute paths, drive letters and .. are made relative and reported", "[archive][names]") {
  std::vector<mugai::Finding> findings;
  CHECK(relative_member_path("../../etc/cron.d/evil", findings) == "etc/cron.d/evil");
  CHECK(has(findings, "archive.path-traversal"));
  findings.clear();
  CHECK(relative_member_path("/abs/path.txt", findings) == "abs/path.txt");
  CHECK(has(findings, "archive.absolute-path"));
  findings.clear();
  CHECK(relative_member_path("C:\\Windows\\System32\\x.dll", findings) == "Windows/System32/x.dll");
  CHECK(has(findings, "archive.absolute-path"));
  findings.clear();
  CHECK(relative_member_path("a/./b/../../../c.txt", findings) == "c.txt");
  CHECK(relative_member_path("../..", findings).empty());
  findings.clear();
  CHECK(relative_member_path("dir/ok.txt", findings) == "dir/ok.txt");
  CHECK(findings.empty());
}

TEST_CASE("duplicate names, also differing in case only, are renamed", "[archive][names]") {
  UniqueNames names;
  CHECK(names.claim("a/report.txt") == "a/report.txt");
  CHECK(names.claim("a/REPORT.txt") == "a/REPORT (2).txt");
  CHECK(names.claim("a/report.txt") == "a/report (3).txt");
  CHECK(names.claim("b.d/noext") == "b.d/noext");
  CHECK(names.claim("b.d/noext") == "b.d/noext (2)");
}
