#include <catch2/catch.hpp>

#include "mugai/core/filename.h"

using mugai::TypeClass;
using mugai::core::class_implied_by_name;
using mugai::core::clean_filename;

namespace {
bool has_finding(const std::vector<mugai::Finding>& findings, const std::string& code) {
  for (const auto& finding : findings)
    if (finding.code == code) return true;
  return false;
}
}  // namespace

TEST_CASE("bidi override is removed so the real extension shows", "[filename]") {
  // "abc" U+202E "fdp.exe": displayed as "abcexe.pdf" by a bidi-aware UI.
  const auto clean = clean_filename("abc\xE2\x80\xAE" "fdp.exe", 120);
  CHECK(clean.name == "abcfdp.exe");
  CHECK(has_finding(clean.findings, "name.bidi-control"));
  std::vector<mugai::Finding> findings;
  CHECK(class_implied_by_name(clean.name, findings) == TypeClass::executable);
}

TEST_CASE("path separators and traversal cannot survive", "[filename]") {
  const auto clean = clean_filename("../../etc/passwd", 120);
  CHECK(clean.name.find('/') == std::string::npos);
  CHECK(clean.name.front() != '.');
  CHECK(has_finding(clean.findings, "name.path-character"));
  CHECK(clean_filename("C:\\Windows\\evil.bat", 120).name == "C__Windows_evil.bat");
}

TEST_CASE("Japanese names survive unchanged", "[filename]") {
  const std::string name = "請求書_2026年11月分.pdf";
  const auto clean = clean_filename(name, 120);
  CHECK(clean.name == name);
  CHECK(clean.findings.empty());
}

TEST_CASE("long names are shortened keeping the extension", "[filename]") {
  const std::string name = std::string(300, 'a') + ".pdf";
  const auto clean = clean_filename(name, 120);
  CHECK(clean.name.size() == 120);
  CHECK(clean.name.ends_with(".pdf"));
  CHECK(has_finding(clean.findings, "name.too-long"));
}

TEST_CASE("controls, trailing dots and empty names", "[filename]") {
  CHECK(clean_filename(std::string("a\0b\x01.txt", 8), 120).name == "ab.txt");
  CHECK(clean_filename("evil.exe. . ", 120).name == "evil.exe");
  CHECK(clean_filename("", 120).name == "attachment");
  CHECK(clean_filename("\xFF\xFE", 120).name == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("double extensions and launchers are named", "[filename]") {
  std::vector<mugai::Finding> findings;
  CHECK(class_implied_by_name("invoice.pdf.exe", findings) == TypeClass::executable);
  CHECK(has_finding(findings, "name.double-extension"));
  findings.clear();
  CHECK(class_implied_by_name("run.BAT", findings) == TypeClass::script);
  findings.clear();
  CHECK(class_implied_by_name("image.iso", findings) == TypeClass::disk_image);
  findings.clear();
  CHECK(class_implied_by_name("report.pdf", findings) == TypeClass::unknown);
  CHECK(findings.empty());
}

TEST_CASE("dot runs collapse so no .. survives", "[filename]") {
  const auto clean = clean_filename("../..\\evil..txt", 120);
  CHECK(clean.name.find("..") == std::string::npos);
  CHECK(clean.name == "_._evil.txt");
}
