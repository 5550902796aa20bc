// flatten (画像化): pages rendered by pdftoppm, rebuilt as an image-only PDF with qpdf. Page count
// and sizes are checked here with qpdf; pdfinfo/pdftotext/pikepdf check them in test_pdf_outputs.py.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <qpdf/QPDFPageObjectHelper.hh>

#include "pdf_test_support.h"

using mugai::Action;
using mugai::test::has_finding;
using mugai::test::pdf_sample;
using mugai::test::run_pdf;

namespace {

struct PageShape {
  double width = 0;
  double height = 0;
  std::size_t images = 0;
};

std::vector<PageShape> shapes(std::string_view pdf) {
  QPDF doc;
  doc.setSuppressWarnings(true);
  doc.processMemoryFile("flat.pdf", pdf.data(), pdf.size());
  std::vector<PageShape> out;
  for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(doc).getAllPages()) {
    const auto box = page.getMediaBox().getArrayAsRectangle();
    out.push_back({box.urx - box.llx, box.ury - box.lly, page.getImages().size()});
  }
  return out;
}

// A stand-in renderer (a shell script) for failure paths.
std::string stand_in(const std::string& name, const std::string& body) {
  const std::string path = (std::filesystem::temp_directory_path() / ("mugai-test-" + name)).string();
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0700);
  return path;
}

}  // namespace

TEST_CASE("flatten keeps page count and sizes, one JPEG per page, nothing else") {
  const mugai::Outcome out = run_pdf(pdf_sample("benign.pdf"), "flatten", {{"dpi", "50"}});
  REQUIRE(out.action == Action::converted);
  CHECK(out.content_type == "application/pdf");
  CHECK(has_finding(out, "pdf.flattened"));
  const auto pages = shapes(out.bytes);
  REQUIRE(pages.size() == 3);
  for (const PageShape& page : pages) {
    CHECK(page.width == Approx(595));
    CHECK(page.height == Approx(842));
    CHECK(page.images == 1);
  }
  CHECK(mugai::test::count_of(out.bytes, "/DCTDecode") == 3);
  CHECK(mugai::test::count_of(out.bytes, "/Font") == 0);
}

TEST_CASE("flatten keeps a rotated page's size as displayed") {
  const mugai::Outcome out = run_pdf(pdf_sample("rotated.pdf"), "flatten", {{"dpi", "36"}});
  REQUIRE(out.action == Action::converted);
  const auto pages = shapes(out.bytes);
  REQUIRE(pages.size() == 1);
  CHECK(pages[0].width == Approx(842));
  CHECK(pages[0].height == Approx(595));
}

TEST_CASE("flatten removes active content before rendering and reports it") {
  const mugai::Outcome out = run_pdf(pdf_sample("javascript.pdf"), "flatten", {{"dpi", "50"}});
  REQUIRE(out.action == Action::converted);
  CHECK(has_finding(out, "pdf.javascript"));
  CHECK(mugai::test::pdf_names(out.bytes).count("/JS") == 0);
  CHECK(mugai::test::pdf_names(out.bytes).count("/Annots") == 0);
}

TEST_CASE("flatten refuses what strip-active refuses") {
  const mugai::Outcome out = run_pdf(pdf_sample("malformed.pdf"), "flatten");
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "pdf.malformed"));
}

TEST_CASE("flatten bounds pages, renderer time and renderer failures") {
  const std::string benign = pdf_sample("benign.pdf");
  SECTION("max_pages") {
    const mugai::Outcome out = run_pdf(benign, "flatten", {{"max_pages", "2"}});
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "limit.pdf-pages"));
  }
  SECTION("renderer missing") {
    const mugai::Outcome out = run_pdf(benign, "flatten", {{"pdftoppm", "/nonexistent/pdftoppm"}});
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "pdf.renderer-unavailable"));
  }
  SECTION("renderer fails or writes nothing") {
    for (const std::string& body : {std::string("exit 3"), std::string("exit 0")}) {
      const mugai::Outcome out = run_pdf(benign, "flatten", {{"pdftoppm", stand_in("fail", body)}});
      CHECK(out.action == Action::removed);
      CHECK(has_finding(out, "pdf.render-failed"));
    }
  }
  SECTION("renderer killed at the deadline") {
    mugai::test::TestContext short_budget(std::chrono::seconds(2));
    mugai::Part part;
    part.bytes = benign;
    part.detected.cls = mugai::TypeClass::pdf;
    const mugai::Outcome out = mugai::sanitizers::pdf::PdfSanitizer().run(
        part, "flatten", {{"pdftoppm", stand_in("hang", "sleep 600")}}, short_budget.context);
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "limit.max-seconds"));
  }
}
