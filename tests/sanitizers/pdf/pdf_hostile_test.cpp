// Encrypted, malformed, oversized and late inputs: each gets a specific verdict, never a crash.
#include <catch2/catch.hpp>

#include "pdf_test_support.h"

using mugai::Action;
using mugai::test::has_finding;
using mugai::test::pdf_sample;
using mugai::test::run_pdf;

TEST_CASE("encrypted PDFs follow the encrypted option") {
  const std::string empty_password = pdf_sample("encrypted-empty.pdf");
  const std::string with_password = pdf_sample("encrypted-password.pdf");
  SECTION("remove is the default") {
    const mugai::Outcome out = run_pdf(empty_password);
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "pdf.encrypted"));
    CHECK(out.bytes.empty());
    CHECK(run_pdf(with_password).action == Action::removed);
  }
  SECTION("hold keeps both in quarantine") {
    CHECK(run_pdf(empty_password, "strip-active", {{"encrypted", "hold"}}).action == Action::held);
    const mugai::Outcome out = run_pdf(with_password, "strip-active", {{"encrypted", "hold"}});
    CHECK(out.action == Action::held);
    CHECK(out.reason.find("quarantine") != std::string::npos);
  }
  SECTION("sanitize decrypts what opens without a password and refuses the rest") {
    const mugai::Outcome out = run_pdf(empty_password, "strip-active", {{"encrypted", "sanitize"}});
    REQUIRE(out.action == Action::sanitized);
    CHECK(has_finding(out, "pdf.encrypted"));
    CHECK(has_finding(out, "pdf.open-action"));
    CHECK(mugai::test::count_of(out.bytes, "/Encrypt") == 0);
    CHECK(mugai::test::pdf_names(out.bytes).count("/JS") == 0);
    const mugai::Outcome refused = run_pdf(with_password, "strip-active", {{"encrypted", "sanitize"}});
    CHECK(refused.action == Action::removed);
    CHECK(refused.reason.find("password") != std::string::npos);
  }
}

TEST_CASE("malformed and non-PDF input is removed with a reason") {
  for (const std::string& bytes : {pdf_sample("malformed.pdf"), std::string(), std::string("%PDF-1.7\n"),
                                   std::string("GIF89a not a pdf at all")}) {
    const mugai::Outcome out = run_pdf(bytes);
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "pdf.malformed"));
    CHECK(!out.reason.empty());
  }
}

TEST_CASE("a page tree made only of active objects is removed, not passed on page-less") {
  // Found by fuzz_pdf: the only "page" is a JavaScript action; emptying it leaves no page, and the
  // rewritten file would be refused when read again.
  const std::string action_as_page =
      "%PDF-1.7\n"
      "1 0 obj << /Type /Catalog /Pages 3 0 R /OpenAction 2 0 R >> endobj\n"
      "2 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj\n"
      "3 0 obj << /Type /Pages /Count 1 /Kids [2 0 R] >> endobj\n"
      "trailer << /Root 1 0 R /Size 4 >>\n%%EOF\n";
  const mugai::Outcome out = run_pdf(action_as_page, "strip-active", {{"encrypted", "sanitize"}});
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "pdf.malformed"));
  CHECK(out.reason.find("no pages") != std::string::npos);
  CHECK(out.bytes.empty());
}

TEST_CASE("the rewritten trailer has /Size, so no reader rebuilds it and finds objects hidden in stream data") {
  // Found by fuzz_pdf. The input has no xref and no /Size, so qpdf rebuilds it by scanning and
  // also finds the Launch action written inside the content stream. The action is emptied, but
  // the stream bytes are copied undecoded. qpdf's writer writes /Size only when the input
  // trailer had one, so a reader of the output rebuilt the table again and found the Launch
  // action again.
  const std::string content = "BT ET\n6 0 obj << /S /Launch /F (cmd.exe) >> endobj\n";
  const std::string hidden_in_stream =
      "%PDF-1.7\n"
      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Count 1 /Kids [3 0 R] >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
      "4 0 obj << /Length " + std::to_string(content.size()) + " >> stream\n" + content +
      "endstream endobj\n"
      "trailer << /Root 1 0 R /Sise 7 /Junk (x) >>\n%%EOF\n";
  const mugai::Outcome out = run_pdf(hidden_in_stream, "strip-active", {{"encrypted", "sanitize"}});
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "pdf.launch"));
  const std::string trailer = out.bytes.substr(out.bytes.rfind("trailer"));
  CHECK(trailer.find("/Size ") != std::string::npos);
  CHECK(trailer.find("/Junk") == std::string::npos);
  CHECK(trailer.find("/Sise") == std::string::npos);
  const mugai::Outcome again = run_pdf(out.bytes, "strip-active", {{"encrypted", "sanitize"}});
  CHECK(again.action == Action::kept);
  CHECK(again.findings.empty());
}

TEST_CASE("random damage to a real PDF never escapes as an exception") {
  const std::string benign = pdf_sample("javascript.pdf");
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < 200; ++round) {
    std::string damaged = benign;
    const std::string noise = mugai::test::random_bytes(state, 8);
    const std::size_t at = static_cast<std::size_t>(state % damaged.size());
    damaged.replace(at, std::min<std::size_t>(8, damaged.size() - at), noise);
    const mugai::Outcome out = run_pdf(damaged);
    CHECK((out.action == Action::sanitized || out.action == Action::removed));
    if (out.action == Action::sanitized) CHECK(mugai::test::pdf_names(out.bytes).count("/JS") == 0);
    if (out.action == Action::removed) CHECK(!out.findings.empty());
  }
}

TEST_CASE("max_objects bounds the work") {
  const mugai::Outcome out = run_pdf(pdf_sample("benign.pdf"), "strip-active", {{"max_objects", "3"}});
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.pdf-objects"));
}

TEST_CASE("a passed deadline removes the PDF") {
  mugai::test::TestContext late(std::chrono::milliseconds(-1));
  mugai::Part part;
  const std::string bytes = pdf_sample("benign.pdf");
  part.bytes = bytes;
  part.detected.cls = mugai::TypeClass::pdf;
  const mugai::Outcome out = mugai::sanitizers::pdf::PdfSanitizer().run(part, "strip-active", {}, late.context);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("bad options and unknown actions remove the part") {
  const std::string bytes = pdf_sample("benign.pdf");
  CHECK(has_finding(run_pdf(bytes, "strip-active", {{"encrypted", "maybe"}}), "module.options"));
  CHECK(has_finding(run_pdf(bytes, "strip-active", {{"colour", "red"}}), "module.options"));
  CHECK(has_finding(run_pdf(bytes, "flatten", {{"dpi", "5000"}}), "module.options"));
  CHECK(run_pdf(bytes, "re-encode").action == Action::removed);
}
