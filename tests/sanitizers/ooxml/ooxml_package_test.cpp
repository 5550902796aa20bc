// The package rebuild: what goes, what stays, and that the bookkeeping stays consistent.
#include <catch2/catch.hpp>

#include "ooxml_test_support.h"

using namespace mugai::test;
using mugai::Action;

namespace {

const std::string kR(kRelNs);

std::string paragraph(std::string_view text) {
  return "<w:p><w:r><w:t>" + std::string(text) + "</w:t></w:r></w:p>";
}

}  // namespace

TEST_CASE("ooxml claims OOXML only, for strip-active and flatten", "[ooxml]") {
  mugai::sanitizers::ooxml::OoxmlSanitizer module;
  mugai::FileType type;
  type.cls = mugai::TypeClass::ooxml;
  CHECK(module.handles(type));
  type.cls = mugai::TypeClass::archive;
  CHECK_FALSE(module.handles(type));
  CHECK(module.supports("strip-active"));
  CHECK(module.supports("flatten"));
  CHECK_FALSE(module.supports("keep"));
  CHECK(run_ooxml(PackageBuilder::word(paragraph("x")).zip(), "keep").action == Action::removed);
}

TEST_CASE("a benign document is rewritten with its text and no findings", "[ooxml]") {
  const mugai::Outcome out = run_ooxml(PackageBuilder::word(paragraph("令和6年度 ABC")).zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(out.findings.empty());
  CHECK(out.filename.empty());  // report.docx keeps its name
  CHECK(out.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  const auto files = unzip(out.bytes);
  CHECK(contains(files.at("word/document.xml"), "令和6年度 ABC"));
  CHECK(files.begin()->first == "[Content_Types].xml");
}

TEST_CASE("docm: VBA project, vbaData and their bookkeeping go, the type becomes docx", "[ooxml]") {
  PackageBuilder docm = PackageBuilder::word(
      paragraph("text"),
      rel("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin"),
      "application/vnd.ms-word.document.macroEnabled.main+xml",
      "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"
      "<Override PartName=\"/word/vbaData.xml\" ContentType=\"application/vnd.ms-word.vbaData+xml\"/>");
  docm.set("word/vbaProject.bin", std::string("\xD0\xCF\x11\xE0", 4) + "project");
  docm.set("word/_rels/vbaProject.bin.rels",
           rels_xml(rel("rId1", "http://schemas.microsoft.com/office/2006/relationships/wordVbaData",
                        "vbaData.xml")));
  docm.set(
      "word/vbaData.xml",
      kXmlHead + "<wne:vbaSuppData xmlns:wne=\"http://schemas.microsoft.com/office/word/2006/wordml\"/>");
  const mugai::Outcome out = run_ooxml(docm.zip(), "strip-active", {}, "議事録.docm");
  REQUIRE(out.action == Action::sanitized);
  CHECK(out.filename == "議事録.docx");
  CHECK(has_finding(out, "ooxml.vba-project"));
  CHECK(contains(out.reason, ".docm converted to .docx"));
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("word/vbaProject.bin"));
  CHECK_FALSE(files.contains("word/vbaData.xml"));
  CHECK_FALSE(files.contains("word/_rels/vbaProject.bin.rels"));
  const std::string& types = files.at("[Content_Types].xml");
  CHECK_FALSE(contains(types, "macroEnabled"));
  CHECK_FALSE(contains(types, "vbaProject"));
  CHECK_FALSE(contains(types, "vbaData"));
  CHECK(contains(types, std::string(kDocxMain)));
  CHECK_FALSE(contains(files.at("word/_rels/document.xml.rels"), "vbaProject"));
}

TEST_CASE("remote template, linked image and hyperlink: relationships and references go", "[ooxml]") {
  PackageBuilder doc = PackageBuilder::word(
      "<w:p><w:hyperlink r:id=\"rIdLink\"><w:r><w:t>click</w:t></w:r></w:hyperlink></w:p>",
      rel("rIdLink", kR + "/hyperlink", "http://203.0.113.1/x", true) +
          rel("rIdSet", kR + "/settings", "settings.xml"),
      kDocxMain,
      "<Override PartName=\"/word/settings.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>");
  doc.set(
      "word/settings.xml",
      kXmlHead +
          "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"" +
          kR + "\"><w:attachedTemplate r:id=\"rId1\"/><w:zoom w:percent=\"100\"/></w:settings>");
  doc.set("word/_rels/settings.xml.rels",
          rels_xml(rel("rId1", kR + "/attachedTemplate", "http://203.0.113.1/t.dotm", true)));

  SECTION("default: every external relationship goes") {
    const mugai::Outcome out = run_ooxml(doc.zip());
    REQUIRE(out.action == Action::sanitized);
    CHECK(has_finding(out, "ooxml.external-relationship"));
    CHECK(has_finding(out, "ooxml.hyperlink"));
    CHECK(contains(finding(out, "ooxml.external-relationship")->detail,
                   "attachedTemplate -> http://203.0.113.1/t.dotm"));
    const auto files = unzip(out.bytes);
    CHECK_FALSE(contains(files.at("word/settings.xml"), "attachedTemplate"));
    CHECK(contains(files.at("word/settings.xml"), "zoom"));
    CHECK_FALSE(contains(files.at("word/_rels/settings.xml.rels"), "203.0.113.1"));
    CHECK_FALSE(contains(files.at("word/document.xml"), "rIdLink"));
    CHECK(contains(files.at("word/document.xml"), "click"));  // the link text stays
  }
  SECTION("keep_links keeps hyperlinks only") {
    const mugai::Outcome out = run_ooxml(doc.zip(), "strip-active", {{"keep_links", "true"}});
    REQUIRE(out.action == Action::sanitized);
    CHECK_FALSE(has_finding(out, "ooxml.hyperlink"));
    const auto files = unzip(out.bytes);
    CHECK(contains(files.at("word/_rels/document.xml.rels"), "http://203.0.113.1/x"));
    CHECK(contains(files.at("word/document.xml"), "rIdLink"));
    CHECK_FALSE(contains(files.at("word/_rels/settings.xml.rels"), "t.dotm"));
  }
}

TEST_CASE("ActiveX and OLE objects go with the elements that point at them", "[ooxml]") {
  PackageBuilder doc = PackageBuilder::word(
      "<w:p><w:r><w:object><w:control r:id=\"rIdAx\" w:name=\"C\"/></w:object></w:r></w:p>"
      "<w:p><w:r><w:object><o:OLEObject xmlns:o=\"urn:schemas-microsoft-com:office:office\" r:id=\"rIdOle\"/>"
      "</w:object></w:r></w:p>",
      rel("rIdAx", kR + "/control", "activeX/activeX1.xml") +
          rel("rIdOle", kR + "/oleObject", "embeddings/oleObject1.bin"),
      kDocxMain,
      "<Override PartName=\"/word/activeX/activeX1.xml\" "
      "ContentType=\"application/vnd.ms-office.activeX+xml\"/>"
      "<Default Extension=\"bin\" ContentType=\"application/vnd.openxmlformats-officedocument.oleObject\"/>");
  doc.set("word/activeX/activeX1.xml",
          kXmlHead + "<ax:ocx xmlns:ax=\"http://schemas.microsoft.com/office/2006/activeX\"/>");
  doc.set("word/embeddings/oleObject1.bin", "ole");
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.activex"));
  CHECK(has_finding(out, "ooxml.ole-object"));
  const auto files = unzip(out.bytes);
  CHECK(files.size() == 4);
  const std::string& document = files.at("word/document.xml");
  CHECK_FALSE(contains(document, "control"));
  CHECK_FALSE(contains(document, "OLEObject"));
  CHECK_FALSE(contains(files.at("[Content_Types].xml"), "activeX"));
  CHECK_FALSE(contains(files.at("[Content_Types].xml"), "oleObject"));
}

TEST_CASE("dangling relationships, unreferenced and untyped parts are dropped", "[ooxml]") {
  PackageBuilder doc =
      PackageBuilder::word(paragraph("x"), rel("rIdGone", kR + "/image", "media/missing.png"));
  doc.set("word/hidden.xml", kXmlHead + "<x/>");  // typed (xml default) but referenced by nothing
  doc.set("word/payload.exe", "MZ");              // no content type at all
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.dangling-relationship"));
  CHECK(has_finding(out, "ooxml.unreferenced-part"));
  CHECK(has_finding(out, "ooxml.untyped-part"));
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("word/hidden.xml"));
  CHECK_FALSE(files.contains("word/payload.exe"));
  CHECK_FALSE(contains(files.at("word/_rels/document.xml.rels"), "missing.png"));
}

TEST_CASE("sanitising the output again finds nothing to change", "[ooxml]") {
  PackageBuilder doc = PackageBuilder::word(
      "<w:p><w:hyperlink r:id=\"rIdLink\"><w:r><w:t>click</w:t></w:r></w:hyperlink></w:p>",
      rel("rIdLink", kR + "/hyperlink", "http://203.0.113.1/x", true));
  const mugai::Outcome first = run_ooxml(doc.zip());
  REQUIRE(first.action == Action::sanitized);
  const mugai::Outcome second = run_ooxml(first.bytes);
  REQUIRE(second.action == Action::sanitized);
  CHECK(second.findings.empty());
  CHECK(unzip(second.bytes) == unzip(first.bytes));
}

namespace {

const std::string kSpreadsheetNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string kXlsxMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

// A workbook package with one normal sheet; `extra_sheets`, `workbook_extra` and the rest are
// spliced in by each test.
PackageBuilder workbook(const std::string& main_type, const std::string& extra_sheets,
                        const std::string& workbook_extra, const std::string& workbook_rels,
                        const std::string& type_extra) {
  PackageBuilder book;
  book.set("[Content_Types].xml",
           kXmlHead +
               "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
               "<Default Extension=\"rels\" "
               "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
               "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
               "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" +
               main_type + "\"/>" + type_extra + "</Types>");
  book.set("_rels/.rels", rels_xml(rel("rId1", kR + "/officeDocument", "xl/workbook.xml")));
  book.set("xl/workbook.xml", kXmlHead + "<workbook xmlns=\"" + kSpreadsheetNs + "\" xmlns:r=\"" + kR +
                                  "\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>" +
                                  extra_sheets + "</sheets>" + workbook_extra + "</workbook>");
  book.set("xl/_rels/workbook.xml.rels",
           rels_xml(rel("rId1", kR + "/worksheet", "worksheets/sheet1.xml") + workbook_rels));
  book.set("xl/worksheets/sheet1.xml",
           kXmlHead + "<worksheet xmlns=\"" + kSpreadsheetNs + "\"><sheetData/></worksheet>");
  return book;
}

}  // namespace

TEST_CASE("xlsm: Excel 4.0 macro sheet and its <sheet> entry go, type becomes xlsx", "[ooxml]") {
  PackageBuilder book =
      workbook("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
               "<sheet name=\"Macro1\" sheetId=\"2\" r:id=\"rIdM\"/>", "",
               rel("rIdM", "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
                   "macrosheets/sheet1.xml"),
               "<Override PartName=\"/xl/macrosheets/sheet1.xml\" "
               "ContentType=\"application/vnd.ms-excel.macrosheet+xml\"/>");
  book.set("xl/macrosheets/sheet1.xml",
           kXmlHead + "<xm:macrosheet xmlns:xm=\"http://schemas.microsoft.com/office/excel/2006/main\"/>");
  const mugai::Outcome out = run_ooxml(book.zip(), "strip-active", {}, "book.xlsm");
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.macro-sheet"));
  CHECK(out.filename == "book.xlsx");
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("xl/macrosheets/sheet1.xml"));
  CHECK_FALSE(contains(files.at("xl/workbook.xml"), "Macro1"));
  CHECK(contains(files.at("xl/workbook.xml"), "Sheet1"));
  CHECK(contains(files.at("[Content_Types].xml"), kXlsxMain));
}

TEST_CASE("xlsx: a DDE external link goes with <externalReferences>", "[ooxml]") {
  PackageBuilder book =
      workbook(kXlsxMain, "", "<externalReferences><externalReference r:id=\"rIdX\"/></externalReferences>",
               rel("rIdX", kR + "/externalLink", "externalLinks/externalLink1.xml"),
               "<Override PartName=\"/xl/externalLinks/externalLink1.xml\" ContentType=\"application/"
               "vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml\"/>");
  book.set("xl/externalLinks/externalLink1.xml",
           kXmlHead + "<externalLink xmlns=\"" + kSpreadsheetNs +
               "\"><ddeLink ddeService=\"cmd\" ddeTopic=\"/c calc\"/></externalLink>");
  const mugai::Outcome out = run_ooxml(book.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.dde"));
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("xl/externalLinks/externalLink1.xml"));
  CHECK_FALSE(contains(files.at("xl/workbook.xml"), "externalReference"));
}

TEST_CASE("pptx: an OLE object's graphic frame goes", "[ooxml]") {
  const std::string pml = "http://schemas.openxmlformats.org/presentationml/2006/main";
  const std::string dml = "http://schemas.openxmlformats.org/drawingml/2006/main";
  PackageBuilder deck;
  deck.set("[Content_Types].xml",
           kXmlHead +
               "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
               "<Default Extension=\"rels\" "
               "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
               "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
               "<Default Extension=\"bin\" "
               "ContentType=\"application/vnd.openxmlformats-officedocument.oleObject\"/>"
               "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-"
               "officedocument.presentationml.presentation.main+xml\"/>"
               "<Override PartName=\"/ppt/slides/slide1.xml\" ContentType=\"application/vnd.openxmlformats-"
               "officedocument.presentationml.slide+xml\"/></Types>");
  deck.set("_rels/.rels", rels_xml(rel("rId1", kR + "/officeDocument", "ppt/presentation.xml")));
  deck.set("ppt/presentation.xml", kXmlHead + "<p:presentation xmlns:p=\"" + pml + "\"/>");
  deck.set("ppt/_rels/presentation.xml.rels", rels_xml(rel("rId1", kR + "/slide", "slides/slide1.xml")));
  deck.set(
      "ppt/slides/slide1.xml",
      kXmlHead + "<p:sld xmlns:p=\"" + pml + "\" xmlns:a=\"" + dml + "\" xmlns:r=\"" + kR +
          "\"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>keep me</a:t></a:r></a:p></p:txBody></p:sp>"
          "<p:graphicFrame><a:graphic><a:graphicData><p:oleObj r:id=\"rIdO\" "
          "progId=\"Package\"/></a:graphicData>"
          "</a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>");
  deck.set("ppt/slides/_rels/slide1.xml.rels",
           rels_xml(rel("rIdO", kR + "/oleObject", "../embeddings/oleObject1.bin")));
  deck.set("ppt/embeddings/oleObject1.bin", "ole");
  const mugai::Outcome out = run_ooxml(deck.zip(), "strip-active", {}, "deck.pptx");
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.ole-object"));
  const auto files = unzip(out.bytes);
  const std::string& slide = files.at("ppt/slides/slide1.xml");
  CHECK_FALSE(contains(slide, "graphicFrame"));
  CHECK(contains(slide, "keep me"));
  CHECK_FALSE(files.contains("ppt/embeddings/oleObject1.bin"));
}

TEST_CASE("customUI with callbacks and signatures go, a static customUI stays", "[ooxml]") {
  const std::string ui_type = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility";
  const std::string sig_type =
      "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin";
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  doc.set("_rels/.rels", rels_xml(rel("rId1", kR + "/officeDocument", "word/document.xml") +
                                  rel("rId2", ui_type, "customUI/customUI14.xml") +
                                  rel("rId3", sig_type, "_xmlsignatures/origin.sigs")));
  doc.set("customUI/customUI14.xml",
          kXmlHead +
              "<customUI xmlns=\"http://schemas.microsoft.com/office/2009/07/customui\" "
              "onLoad=\"Ribbon_Load\"/>");
  doc.set("_xmlsignatures/origin.sigs", "");
  const std::string types = types_xml(kDocxMain,
                                      "<Default Extension=\"sigs\" ContentType=\"application/"
                                      "vnd.openxmlformats-package.digital-signature-origin\"/>");
  doc.set("[Content_Types].xml", types);
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.customui-callbacks"));
  CHECK(has_finding(out, "ooxml.signature"));
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("customUI/customUI14.xml"));
  CHECK_FALSE(files.contains("_xmlsignatures/origin.sigs"));
  CHECK_FALSE(contains(files.at("_rels/.rels"), "customUI"));

  doc.set("customUI/customUI14.xml",
          kXmlHead + "<customUI xmlns=\"http://schemas.microsoft.com/office/2009/07/customui\"/>");
  const mugai::Outcome plain = run_ooxml(doc.zip());
  REQUIRE(plain.action == Action::sanitized);
  CHECK_FALSE(has_finding(plain, "ooxml.customui-callbacks"));
  CHECK(unzip(plain.bytes).contains("customUI/customUI14.xml"));
}

TEST_CASE("an altChunk (imported RTF/HTML) goes with its w:altChunk element", "[ooxml]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("before") + "<w:altChunk r:id=\"rIdC\"/>",
                                            rel("rIdC", kR + "/aFChunk", "chunk.rtf"), kDocxMain,
                                            "<Default Extension=\"rtf\" ContentType=\"application/rtf\"/>");
  doc.set("word/chunk.rtf", "{\\rtf1 {\\object\\objemb {\\*\\objdata 0105}}}");
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.alt-chunk"));
  const auto files = unzip(out.bytes);
  CHECK_FALSE(files.contains("word/chunk.rtf"));
  CHECK_FALSE(contains(files.at("word/document.xml"), "altChunk"));
  CHECK(contains(files.at("word/document.xml"), "before"));
}

TEST_CASE("the main part is written right after the bookkeeping, as Office does", "[ooxml]") {
  PackageBuilder doc = PackageBuilder::word(paragraph("x"));
  // Move docProps in front of the main part, as LibreOffice writes some packages.
  doc.members.insert(doc.members.begin() + 2, {"docProps/app.xml", kXmlHead + "<Properties/>"});
  doc.set("_rels/.rels", rels_xml(rel("rId1", kR + "/officeDocument", "word/document.xml") +
                                  rel("rId2", kR + "/extended-properties", "docProps/app.xml")));
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  TestContext test;
  mugai::sanitizers::ooxml::ZipBounds bounds;
  bounds.max_total_bytes = bounds.max_member_bytes = 1 << 20;
  const auto members = mugai::sanitizers::ooxml::read_zip(out.bytes, bounds, test.context).members;
  REQUIRE(members.size() >= 4);
  CHECK(members[0].name == "[Content_Types].xml");
  CHECK(members[1].name == "_rels/.rels");
  CHECK(members[2].name == "word/document.xml");
}

TEST_CASE("Strict OOXML: a remote template's pointer in the purl.oclc.org namespace goes too", "[ooxml]") {
  const std::string strict_r = "http://purl.oclc.org/ooxml/officeDocument/relationships";
  PackageBuilder doc = PackageBuilder::word(
      paragraph("x"), rel("rIdSet", strict_r + "/settings", "settings.xml"), kDocxMain,
      "<Override PartName=\"/word/settings.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>");
  doc.set("_rels/.rels", rels_xml(rel("rId1", strict_r + "/officeDocument", "word/document.xml")));
  doc.set("word/settings.xml", kXmlHead +
                                   "<w:settings xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\" "
                                   "xmlns:r=\"" +
                                   strict_r + "\"><w:attachedTemplate r:id=\"rId1\"/></w:settings>");
  doc.set("word/_rels/settings.xml.rels",
          rels_xml(rel("rId1", strict_r + "/attachedTemplate", "http://203.0.113.1/t.dotm", true)));
  const mugai::Outcome out = run_ooxml(doc.zip());
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ooxml.external-relationship"));
  CHECK_FALSE(contains(unzip(out.bytes).at("word/settings.xml"), "attachedTemplate"));
}

namespace {

// Compression method of each member (name -> 0 stored / 8 deflated), from the local headers.
std::map<std::string, unsigned> zip_methods(const std::string& zip) {
  std::map<std::string, unsigned> out;
  const auto u16 = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(zip[at]) | (static_cast<unsigned char>(zip[at + 1]) << 8));
  };
  for (std::size_t at = zip.find(std::string("PK\x01\x02", 4)); at != std::string::npos;
       at = zip.find(std::string("PK\x01\x02", 4), at + 46)) {
    out[zip.substr(at + 46, u16(at + 28))] = u16(at + 10);
  }
  return out;
}

}  // namespace

TEST_CASE("repacking stores what does not compress, whatever its name, and deflates the rest", "[ooxml]") {
  std::string noise(64 * 1024, '\0');
  std::uint32_t state = 12345;
  for (char& byte : noise) byte = static_cast<char>((state = state * 1103515245 + 12345) >> 24);
  const std::string xml = kXmlHead + "<w:document>" + std::string(64 * 1024, ' ') + "</w:document>";
  const std::optional<std::string> zip = mugai::sanitizers::ooxml::write_zip(
      {{"word/document.xml", xml}, {"word/media/image1.jpeg", noise}, {"word/media/image2.emf", noise}});
  REQUIRE(zip);
  const auto methods = zip_methods(*zip);
  CHECK(methods.at("word/document.xml") == 8);
  CHECK(methods.at("word/media/image1.jpeg") == 0);
  CHECK(methods.at("word/media/image2.emf") == 0);  // no extension list: the bytes decide
}
