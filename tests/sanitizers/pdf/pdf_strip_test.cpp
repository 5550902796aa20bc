// strip-active on the generated samples: each active element is found, reported with its code and
// gone from the output (object streams and older revisions included); benign documents keep
// their pages; a second pass finds nothing.
#include <catch2/catch.hpp>

#include <map>

#include "pdf_test_support.h"

using mugai::Action;
using mugai::test::has_finding;
using mugai::test::pdf_names;
using mugai::test::pdf_sample;
using mugai::test::run_pdf;

namespace {

const std::map<std::string, std::string> kExpected{
    {"javascript.pdf", "pdf.javascript"},        {"open-action.pdf", "pdf.open-action"},
    {"javascript-direct.pdf", "pdf.javascript"},
    {"additional-actions.pdf", "pdf.additional-actions"}, {"launch.pdf", "pdf.launch"},
    {"submit-form.pdf", "pdf.submit-form"},      {"import-data.pdf", "pdf.import-data"},
    {"gotor.pdf", "pdf.remote-goto"},            {"gotoe.pdf", "pdf.embedded-goto"},
    {"uri.pdf", "pdf.uri"},                      {"embedded-file.pdf", "pdf.embedded-file"},
    {"file-attachment.pdf", "pdf.embedded-file"}, {"rich-media.pdf", "pdf.rich-media"},
    {"xfa.pdf", "pdf.xfa"},                      {"objstm-incremental.pdf", "pdf.javascript"},
};

// Keys and action types none of which may remain.
const std::vector<std::string> kForbidden{"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF",
                                          "/XFA", "/RichMediaContent", "/S/JavaScript", "/S/Launch",
                                          "/S/SubmitForm", "/S/ImportData", "/S/GoToR", "/S/GoToE", "/S/URI",
                                          "/Subtype/FileAttachment", "/Subtype/RichMedia", "/Type/EmbeddedFile"};

}  // namespace

TEST_CASE("every hostile sample is sanitised, reported and clean afterwards") {
  for (const auto& [name, code] : kExpected) {
    INFO(name);
    const std::string input = pdf_sample(name);
    REQUIRE(!input.empty());
    const mugai::Outcome out = run_pdf(input);
    REQUIRE(out.action == Action::sanitized);
    CHECK(out.content_type == "application/pdf");
    CHECK(has_finding(out, code));
    CHECK(out.reason.find("removed") != std::string::npos);
    const auto names = pdf_names(out.bytes);
    for (const std::string& key : kForbidden) CHECK(names.count(key) == 0);
    // The same walk over the input finds what was removed (so the check above can fail).
    CHECK(!pdf_names(input).empty());
    // A second pass finds nothing and gives the same bytes back: kept.
    const mugai::Outcome again = run_pdf(out.bytes);
    CHECK(again.action == Action::kept);
    CHECK(again.findings.empty());
    CHECK(again.bytes.empty());
  }
}

TEST_CASE("the input walk sees the active keys the output walk must not") {
  CHECK(pdf_names(pdf_sample("javascript.pdf")).count("/S/JavaScript") == 1);
  CHECK(pdf_names(pdf_sample("embedded-file.pdf")).count("/EmbeddedFiles") == 1);
  CHECK(pdf_names(pdf_sample("objstm-incremental.pdf")).count("/OpenAction") == 1);
}

TEST_CASE("object streams and incremental updates are normalised into one revision") {
  const std::string input = pdf_sample("objstm-incremental.pdf");
  REQUIRE(mugai::test::count_of(input, "%%EOF") == 2);
  REQUIRE(mugai::test::count_of(input, "/ObjStm") == 1);
  const mugai::Outcome out = run_pdf(input);
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "pdf.javascript"));   // the action inside the object stream
  CHECK(has_finding(out, "pdf.open-action"));  // the one added by the update
  CHECK(mugai::test::count_of(out.bytes, "%%EOF") == 1);
  CHECK(mugai::test::count_of(out.bytes, "/ObjStm") == 0);
  CHECK(mugai::test::count_of(out.bytes, "/Prev") == 0);
  CHECK(mugai::test::pdf_pages(out.bytes) == 2);
}

TEST_CASE("a benign document keeps its pages and gets no findings") {
  const mugai::Outcome out = run_pdf(pdf_sample("benign.pdf"));
  REQUIRE(out.action == Action::sanitized);
  CHECK(out.findings.empty());
  CHECK(out.reason == "PDF rewritten as one clean revision; no active content found");
  CHECK(mugai::test::pdf_pages(out.bytes) == 3);
  CHECK(out.bytes.starts_with("%PDF-"));
}

TEST_CASE("keep_links keeps URI actions and nothing else") {
  const mugai::Outcome kept = run_pdf(pdf_sample("uri.pdf"), "strip-active", {{"keep_links", "true"}});
  REQUIRE(kept.action == Action::sanitized);
  CHECK(!has_finding(kept, "pdf.uri"));
  CHECK(pdf_names(kept.bytes).count("/S/URI") == 1);
  const mugai::Outcome launch = run_pdf(pdf_sample("launch.pdf"), "strip-active", {{"keep_links", "true"}});
  CHECK(has_finding(launch, "pdf.launch"));
}
