// DDE fields in WordprocessingML, every spelling Word accepts; other fields are untouched.
#include <catch2/catch.hpp>

#include "ooxml/word_fields.h"
#include "ooxml/xml_doc.h"
#include "ooxml_test_support.h"

using namespace mugai::test;
using mugai::sanitizers::ooxml::parse_xml;
using mugai::sanitizers::ooxml::remove_dde_fields;
using mugai::sanitizers::ooxml::serialize_xml;

namespace {

struct Cleaned {
  std::size_t removed = 0;
  std::string xml;
};

Cleaned clean(std::string_view body) {
  auto parsed = parse_xml(word_document(body), "word/document.xml");
  REQUIRE(parsed.doc);
  Cleaned out;
  out.removed = remove_dde_fields(parsed.doc.get());
  out.xml = serialize_xml(parsed.doc.get());
  return out;
}

std::string complex_field(std::vector<std::string> instruction_runs, std::string_view result) {
  std::string out = "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>";
  for (const std::string& run : instruction_runs)
    out += "<w:r><w:instrText xml:space=\"preserve\">" + run + "</w:instrText></w:r>";
  out += "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>" + std::string(result) +
         "</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
  return out;
}

}  // namespace

TEST_CASE("DDEAUTO split over runs goes, its result text stays", "[ooxml][dde]") {
  const Cleaned out =
      clean(complex_field({" DD", "EAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\""}, "shown"));
  CHECK(out.removed == 1);
  CHECK_FALSE(contains(out.xml, "instrText"));
  CHECK_FALSE(contains(out.xml, "fldChar"));
  CHECK_FALSE(contains(out.xml, "cmd.exe"));
  CHECK(contains(out.xml, "shown"));
}

TEST_CASE("case, quotes and plain DDE are recognised", "[ooxml][dde]") {
  CHECK(clean(complex_field({"ddeauto x y"}, "r")).removed == 1);
  CHECK(clean(complex_field({"  \"DDE\" x y"}, "r")).removed == 1);
  CHECK(clean(complex_field({"DdE x"}, "r")).removed == 1);
}

TEST_CASE("fldSimple DDE is unwrapped, keeping its runs", "[ooxml][dde]") {
  const Cleaned out =
      clean("<w:p><w:fldSimple w:instr=\" DDE cmd /c calc \"><w:r><w:t>kept</w:t></w:r></w:fldSimple></w:p>");
  CHECK(out.removed == 1);
  CHECK_FALSE(contains(out.xml, "fldSimple"));
  CHECK(contains(out.xml, "kept"));
}

TEST_CASE("a DDE field nested inside another field goes, the outer field stays", "[ooxml][dde]") {
  const std::string body =
      "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> IF 1 = 1 </w:instrText></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>DDEAUTO cmd x</w:instrText></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>outer</w:t></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
  const Cleaned out = clean(body);
  CHECK(out.removed == 1);
  CHECK_FALSE(contains(out.xml, "DDEAUTO"));
  CHECK(contains(out.xml, "IF 1 = 1"));
  CHECK(contains(out.xml, "outer"));
}

TEST_CASE("ordinary fields and unterminated non-DDE fields are untouched", "[ooxml][dde]") {
  const Cleaned page = clean(complex_field({" PAGE "}, "1"));
  CHECK(page.removed == 0);
  CHECK(contains(page.xml, "PAGE"));
  CHECK(clean("<w:p><w:r><w:fldChar "
              "w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>TIME</w:instrText></w:r></w:p>")
            .removed == 0);
  CHECK(clean("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>DDE "
              "x</w:instrText></w:r></w:p>")
            .removed == 1);
}

TEST_CASE("Strict OOXML (ISO 29500 namespaces) gets the same DDE treatment", "[ooxml][dde]") {
  auto parsed = parse_xml(
      "<w:document xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><w:body><w:p>"
      "<w:fldSimple w:instr=\"DDEAUTO cmd x\"><w:r><w:t>kept</w:t></w:r></w:fldSimple>"
      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>DDE a b</w:instrText></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:body></w:document>",
      "word/document.xml");
  REQUIRE(parsed.doc);
  CHECK(remove_dde_fields(parsed.doc.get()) == 2);
  const std::string xml = serialize_xml(parsed.doc.get());
  CHECK_FALSE(contains(xml, "DDE"));
  CHECK(contains(xml, "kept"));
}
