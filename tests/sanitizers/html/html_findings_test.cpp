// Active content is reported with counts, also where it produces no text.
#include <catch2/catch.hpp>

#include "html_test_support.h"

using namespace mugai::test;

namespace {
std::string detail(const mugai::Outcome& out, std::string_view code) {
  const auto f = finding(out, code);
  return f ? f->detail : "(none)";
}
}  // namespace

TEST_CASE("scripts, handlers, frames, objects and forms are counted", "[html][findings]") {
  const mugai::Outcome out = run_html(
      "<html><head><script>a()</script><meta http-equiv=\"Refresh\" content=\"0; url=https://evil.example/\"></head>"
      "<body onload=\"x()\"><script src=\"https://cdn.example/a.js\"></script>"
      "<img src=\"a.png\" onerror=\"y()\" alt=\"a\"><div onmouseover=\"z()\">text</div>"
      "<iframe src=\"https://x.example/\"></iframe><object data=\"x.swf\"></object><embed src=\"y.swf\">"
      "<form action=\"https://phish.example/\"><input name=\"pw\" type=\"password\">パスワード</form>"
      "<frameset><frame src=\"f.html\"></frameset>"
      "<svg><script>svg()</script><a onclick=\"s()\">s</a></svg></body></html>");
  CHECK(out.action == mugai::Action::converted);
  CHECK(detail(out, "html.script") == "3 script elements removed");
  CHECK(detail(out, "html.event-handler") == "4 event handler attributes (onclick, onerror, onload, onmouseover) removed");
  CHECK(detail(out, "html.iframe").starts_with("2 iframe/frame elements"));
  CHECK(detail(out, "html.object").starts_with("2 object/embed/applet"));
  CHECK(detail(out, "html.form") == "1 form removed (their text is kept)");
  CHECK(detail(out, "html.meta-refresh") == "1 meta refresh redirect removed");
  CHECK(out.bytes.find("text") != std::string::npos);
  CHECK(out.bytes.find("パスワード") != std::string::npos);
  CHECK(out.bytes.find("a()") == std::string::npos);
}

TEST_CASE("javascript:, vbscript:, data: and other schemes are counted", "[html][findings]") {
  const mugai::Outcome out = run_html(
      "<a href=\"javascript:alert(1)\">a</a><a href=\"JaVaScRiPt:x\">b</a><a href=\"vbscript:x\">c</a>"
      "<form action=\"javascript:steal()\"></form><a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>"
      "<img src=\"data:image/png;base64,iVBORw0=\" alt=\"inline\"><a href=\"file:///etc/passwd\">e</a>"
      "<a href=\"ms-msdt:/id PCWDiagnostic\">f</a><a href=\"https://ok.example/\">g</a>");
  CHECK(detail(out, "html.javascript-url") == "4 javascript:/vbscript: URLs removed");
  CHECK(detail(out, "html.data-url") == "1 data: link removed");
  CHECK(detail(out, "html.url-scheme") == "2 links with scheme file, ms-msdt removed");
  CHECK(out.bytes == "abc\nd[画像/image: inline]efg <https://ok.example/>\n");  // the form is a block
}

TEST_CASE("remote images and tracking pixels are counted", "[html][findings]") {
  const mugai::Outcome out = run_html(
      "<img src=\"https://track.example/p.gif\" width=\"1\" height=\"1\">"
      "<img src=\"//cdn.example/logo.png\" alt=\"logo\"><img src=\"cid:inline\" alt=\"cid\">"
      "<table background=\"http://bg.example/b.png\"><tr><td style=\"background:url('https://x.example/y.png')\">t"
      "</td></tr></table>");
  CHECK(detail(out, "html.external-image") == "4 remote images not loaded (1 looks like a tracking pixel)");
}

TEST_CASE("clean HTML has no findings", "[html][findings]") {
  const mugai::Outcome out = run_html("<p>こんにちは <a href=\"https://www.example.lg.jp/\">市役所</a></p>", "utf-8");
  CHECK(out.findings.empty());
}
