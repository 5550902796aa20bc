// Hostile packages: every one gets a named verdict, within its bounds, without an exception.
#include <catch2/catch.hpp>

#include "mugai/registry.h"
#include "ooxml_test_support.h"

using namespace mugai::test;
using mugai::Action;

namespace {

std::string paragraph(std::string_view text) {
  return "<w:p><w:r><w:t>" + std::string(text) + "</w:t></w:r></w:p>";
}

mugai::Outcome run_with(const mugai::Limits& limits, std::string_view bytes,
                        const mugai::ModuleOptions& options = {}) {
  TestContext test(limits);
  return mugai::sanitizers::ooxml::OoxmlSanitizer().run(make_part(bytes, "", "", mugai::TypeClass::ooxml),
                                                        "strip-active", options, test.context);
}

}  // namespace

TEST_CASE("a zip bomb stops at the expansion bound while inflating", "[ooxml][hostile]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  doc.set("word/media/zeros.bin", std::string(64 << 20, '\0'));  // 64 MiB deflates to ~64 KiB
  const std::string zip = doc.zip();
  REQUIRE(zip.size() < (1 << 20));
  const mugai::Outcome out = run_ooxml(zip);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.ooxml-expanded-size"));
  CHECK(out.bytes.empty());
}

TEST_CASE("max_decoded_bytes bounds the package whatever the ratio", "[ooxml][hostile]") {
  mugai::Limits limits;
  limits.max_decoded_bytes = 1000;
  limits.max_expand_ratio = 10'000;
  const mugai::Outcome out = run_with(limits, PackageBuilder::word(paragraph(std::string(5000, 'a'))).zip());
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.ooxml-expanded-size"));
}

TEST_CASE("member count and XML size are bounded by module options", "[ooxml][hostile]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  for (int i = 0; i < 20; ++i) doc.set("word/media/p" + std::to_string(i) + ".png", "png");
  CHECK(has_finding(run_ooxml(doc.zip(), "strip-active", {{"max_members", "10"}}), "limit.ooxml-members"));
  CHECK(run_ooxml(doc.zip(), "strip-active", {{"max_members", "100"}}).action == Action::sanitized);
  const std::string big = PackageBuilder::word(paragraph("x"), std::string(2000, ' ')).zip();
  CHECK(has_finding(run_ooxml(big, "strip-active", {{"max_xml_bytes", "1000"}}), "limit.ooxml-xml-size"));
}

TEST_CASE("duplicate and case-folded duplicate member names are refused", "[ooxml][hostile]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  doc.members.push_back({"WORD/document.xml", word_document(paragraph("other"))});
  const mugai::Outcome out = run_ooxml(doc.zip());
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "ooxml.duplicate-member"));
}

TEST_CASE("names that climb out of the package are refused", "[ooxml][hostile]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  doc.set("../evil.xml", "<x/>");
  CHECK(has_finding(run_ooxml(doc.zip()), "ooxml.bad-member-name"));
}

TEST_CASE("a DOCTYPE (entity expansion) in bookkeeping or content is refused", "[ooxml][hostile]") {
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;\">]>";
  SECTION("in a relationship part") {
    PackageBuilder doc = PackageBuilder::word(paragraph("x"));
    doc.set(
        "word/_rels/document.xml.rels",
        laughs + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>");
    const mugai::Outcome out = run_ooxml(doc.zip());
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "ooxml.bad-relationships"));
    CHECK(contains(out.reason, "DOCTYPE"));
  }
  SECTION("in a Word part that has to be edited") {
    PackageBuilder doc = PackageBuilder::word("");
    doc.set("word/document.xml",
            laughs +
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
                "2006/main\"><w:body><w:p><w:r><w:instrText>&d;</w:instrText></w:r></w:p>"
                "</w:body></w:document>");
    const mugai::Outcome out = run_ooxml(doc.zip());
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "ooxml.bad-xml"));
  }
  SECTION("an external entity in [Content_Types].xml") {
    PackageBuilder doc = PackageBuilder::word(paragraph("x"));
    doc.set("[Content_Types].xml",
            "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
                types_xml(kDocxMain).substr(kXmlHead.size()));
    CHECK(has_finding(run_ooxml(doc.zip()), "ooxml.bad-content-types"));
  }
}

TEST_CASE("not a package: no content types, no main part, not a zip", "[ooxml][hostile]") {
  CHECK(has_finding(run_ooxml(PackageBuilder::word(paragraph("x")).remove("[Content_Types].xml").zip()),
                    "ooxml.not-a-package"));
  CHECK(has_finding(run_ooxml(PackageBuilder::word(paragraph("x")).remove("_rels/.rels").zip()),
                    "ooxml.unknown-type"));
  CHECK(run_ooxml("PK\x03\x04 this is not really a zip").action == Action::removed);
  CHECK(run_ooxml("").action == Action::removed);
}

TEST_CASE("add-ins and binary workbooks are removed, not rewritten", "[ooxml][hostile]") {
  PackageBuilder addin =
      PackageBuilder::word(paragraph("x"), "", "application/vnd.ms-excel.addin.macroEnabled.main+xml");
  CHECK(has_finding(run_ooxml(addin.zip()), "ooxml.addin"));
  PackageBuilder xlsb =
      PackageBuilder::word(paragraph("x"), "", "application/vnd.ms-excel.sheet.binary.macroEnabled.main");
  CHECK(has_finding(run_ooxml(xlsb.zip()), "ooxml.binary-workbook"));
}

TEST_CASE("a passed deadline removes the part", "[ooxml][hostile]") {
  TestContext test(std::chrono::milliseconds(-1));
  const std::string zip = PackageBuilder::word(paragraph("x")).zip();
  const mugai::Outcome out = mugai::sanitizers::ooxml::OoxmlSanitizer().run(
      make_part(zip, "", "", mugai::TypeClass::ooxml), "strip-active", {}, test.context);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("random corruption of a package always gets a verdict", "[ooxml][hostile]") {
  const std::string good =
      PackageBuilder::word(paragraph("令和 text"),
                           rel("rId9", std::string(kRelNs) + "/hyperlink", "http://x/", true))
          .zip();
  std::uint64_t seed = 0x5eed;
  int sanitized = 0;
  for (int round = 0; round < 300; ++round) {
    std::string bytes = good;
    const std::string noise = random_bytes(seed, 1 + round % 8);
    const std::size_t at = static_cast<std::size_t>(seed % bytes.size());
    bytes.replace(at, std::min(noise.size(), bytes.size() - at), noise);
    const mugai::Outcome out = run_ooxml(bytes);
    REQUIRE((out.action == Action::removed || out.action == Action::sanitized));
    if (out.action == Action::removed) REQUIRE_FALSE(out.findings.empty());
    if (out.action == Action::sanitized) ++sanitized;
  }
  CHECK(sanitized < 300);
}

TEST_CASE("flatten without a pdf module is removed with that reason", "[ooxml][flatten]") {
  if (mugai::sanitizers::find_module("pdf") != nullptr) {
    // With the pdf module built in, flatten yields a sanitised PDF (LibreOffice runs once).
    const mugai::Outcome out = run_ooxml(PackageBuilder::word(paragraph("flat text")).zip(), "flatten");
    REQUIRE(out.action == Action::converted);
    CHECK(out.content_type == "application/pdf");
    CHECK(out.filename == "report.pdf");
    CHECK(out.bytes.starts_with("%PDF"));
    return;
  }
  const mugai::Outcome out = run_ooxml(PackageBuilder::word(paragraph("flat text")).zip(), "flatten");
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "module.missing"));
  CHECK(contains(out.reason, "pdf module"));
}

TEST_CASE("an oversized XML member stops while it is inflated, even if it would not be parsed",
          "[ooxml][hostile]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  doc.set("word/styles.xml", "<w:styles>" + std::string(4000, ' ') + "</w:styles>");
  const mugai::Outcome out = run_ooxml(doc.zip(), "strip-active", {{"max_xml_bytes", "3000"}});
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.ooxml-xml-size"));
  CHECK(contains(finding(out, "limit.ooxml-xml-size")->detail, "word/styles.xml"));
}
