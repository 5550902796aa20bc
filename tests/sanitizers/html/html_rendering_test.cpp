// HTML to text: the layout rules, checked on exact output strings.
#include <catch2/catch.hpp>

#include "html_test_support.h"
#include "text/text_sanitizer.h"

using namespace mugai::test;
using mugai::Action;

TEST_CASE("html module claims HTML only, for to-text only", "[html]") {
  const mugai::sanitizers::html::HtmlSanitizer module;
  mugai::FileType type;
  type.cls = mugai::TypeClass::html;
  CHECK(module.handles(type));
  type.cls = mugai::TypeClass::text;
  CHECK_FALSE(module.handles(type));
  CHECK(module.supports("to-text"));
  CHECK_FALSE(module.supports("keep"));
  CHECK(module.name() == "html");
  const mugai::Outcome out = run_html("<p>x</p>", "", {});
  CHECK(out.content_type == "text/plain");
  CHECK(out.charset == "utf-8");
  CHECK(out.reason == "HTML converted to plain text");
}

TEST_CASE("an action other than to-text removes the part", "[html]") {
  TestContext test;
  const mugai::sanitizers::html::HtmlSanitizer module;
  const mugai::Outcome out =
      module.run(make_part("<p>x</p>", "", "text/html", mugai::TypeClass::html), "keep", {}, test.context);
  CHECK(out.action == Action::removed);
  CHECK(out.bytes.empty());
}

TEST_CASE("paragraphs are separated by blank lines, <br> breaks lines", "[html]") {
  CHECK(html_text("<p>one</p><p>two</p>") == "one\n\ntwo\n");
  CHECK(html_text("<p>Line one<br>Line two<br><br>After blank</p>") == "Line one\nLine two\n\nAfter blank\n");
  CHECK(html_text("<div>a</div>b<span>c</span><div>d</div>") == "a\nbc\nd\n");
  CHECK(html_text("<p>a<br></p><p>b</p>") == "a\n\nb\n");
  CHECK(html_text("a<br><br><br><br><br><br>b") == "a\n\n\nb\n");  // at most two blank lines
}

TEST_CASE("whitespace is collapsed like a browser does, Japanese line breaks vanish", "[html][japanese]") {
  CHECK(html_text("<p>  many   spaces\n\tand\ttabs  </p>") == "many spaces and tabs\n");
  CHECK(html_text("<b>a</b> <i>b</i><b>c</b><i>d</i>") == "a bcd\n");
  CHECK(html_text("<p>いつもお世話に\nなっております。</p>") == "いつもお世話になっております。\n");
  CHECK(html_text("<p>日本語 と English\nwords</p>") == "日本語 と English words\n");
  CHECK(html_text("<p>a&nbsp;&nbsp;b</p>") == "a b\n");
}

TEST_CASE("entities are decoded", "[html]") {
  CHECK(html_text("<p>&amp; &lt;tag&gt; &quot;q&quot; &#x3042;&#12354; &copy; &hellip;</p>") ==
        "& <tag> \"q\" ああ © …\n");
}

TEST_CASE("headings stand on their own lines", "[html]") {
  CHECK(html_text("<h1>市からのお知らせ</h1>本文<h3>小見出し</h3>続き") == "市からのお知らせ\n\n本文\n\n小見出し\n\n続き\n");
}

TEST_CASE("lists become bullets, nested ones indented, ordered ones numbered", "[html]") {
  CHECK(html_text("<ul><li>りんご</li><li>みかん<ul><li>温州</li><li>デコポン</li></ul></li><li><p>段落</p></li></ul>") ==
        "・ りんご\n・ みかん\n   ・ 温州\n   ・ デコポン\n・ 段落\n");
  CHECK(html_text("<p>手順:</p><ol start=\"3\"><li>申請</li><li>受付</li></ol><p>以上</p>") ==
        "手順:\n\n3. 申請\n4. 受付\n\n以上\n");
  CHECK(html_text("<ul><li>line one<br>line two</li></ul>") == "・ line one\n   line two\n");
  CHECK(html_text("<dl><dt>用語</dt><dd>説明</dd></dl>") == "用語\n   説明\n");
}

TEST_CASE("tables give one line per row, cells joined by ' | '", "[html]") {
  CHECK(html_text("<table><tr><th>名前</th><th>電話</th></tr><tr><td>山田</td><td>03-1234-5678</td></tr>"
                  "<tr><td></td><td>only</td></tr></table>") ==
        "名前 | 電話\n山田 | 03-1234-5678\nonly\n");
  CHECK(html_text("<p>before</p><table><tr><td>a<td>b</table><p>after</p>") == "before\n\na | b\n\nafter\n");
}

TEST_CASE("layout tables with multi-line cells become blocks", "[html]") {
  CHECK(html_text("<table><tr><td><table><tr><td><p>Hello</p><p>World</p></td></tr></table></td>"
                  "<td>side</td></tr></table>") == "Hello\n\nWorld\n\nside\n");
}

TEST_CASE("<pre> keeps spaces and line breaks", "[html]") {
  CHECK(html_text("<p>x</p><pre>\n  code  line 1\n    indented\n\nafter blank</pre><p>y</p>") ==
        "x\n\n  code  line 1\n    indented\n\nafter blank\n\ny\n");
}

TEST_CASE("links are written as text <URL>", "[html][links]") {
  CHECK(html_text("<p>Visit <a href=\"https://www.city.example.lg.jp/\">our site</a>.</p>") ==
        "Visit our site <https://www.city.example.lg.jp/>.\n");
  CHECK(html_text("<a href=\"https://a.example/\">https://a.example/</a>") == "https://a.example/\n");
  CHECK(html_text("<a href=\"HTTPS://A.EXAMPLE/\">https://a.example</a>") == "https://a.example\n");
  CHECK(html_text("<a href=\"mailto:info@city.example.lg.jp\">info@city.example.lg.jp</a>") ==
        "info@city.example.lg.jp\n");
  CHECK(html_text("<a href=\"mailto:info@x.example\">問い合わせ</a>") == "問い合わせ <mailto:info@x.example>\n");
  CHECK(html_text("<a href=\"/relative/path?a=1\">rel</a>") == "rel </relative/path?a=1>\n");
  CHECK(html_text("<a href=\"#top\">top</a> <a>no href</a>") == "top no href\n");
  CHECK(html_text("<a href=\"https://l.example/\"></a>") == "<https://l.example/>\n");
  CHECK(html_text("<ul><li><a href=\"https://x.example/\">https://x.example/</a></li></ul>") == "・ https://x.example/\n");
}

TEST_CASE("link text that lies about its target shows the real URL", "[html][links]") {
  CHECK(html_text("<a href=\"https://evil.example/\">https://bank.example/</a>") ==
        "https://bank.example/ <https://evil.example/>\n");
}

TEST_CASE("URLs cannot smuggle spaces, brackets or bidi controls into the text", "[html][links]") {
  CHECK(html_text("<a href=\"https://e.example/a b>c\">x</a>") == "x <https://e.example/a%20b%3Ec>\n");
  CHECK(html_text("<a href=\"https://e.example/\xE2\x80\xAEgpj.exe\">x</a>") ==
        "x <https://e.example/%E2%80%AEgpj.exe>\n");
}

TEST_CASE("dangerous URLs are dropped, their text kept", "[html][links]") {
  CHECK(html_text("<a href=\"javascript:alert(1)\">click</a> <a href=\" java\tscript:x\">two</a> "
                  "<a href=\"vbscript:x\">vb</a> <a href=\"data:text/html,x\">d</a> <a href=\"file:///c:/x\">f</a> "
                  "<a href=\"ms-msdt:/id\">m</a>") == "click two vb d f m\n");
}

TEST_CASE("images appear as their alt text", "[html]") {
  CHECK(html_text("<p>ロゴ: <img src=\"cid:logo\" alt=\"  市の\n ロゴ \"></p>") == "ロゴ: [画像/image: 市の ロゴ]\n");
  CHECK(html_text("<img src=\"x.png\"><img src=\"y.png\" alt=\"\">text") == "text\n");
  CHECK(html_text("<a href=\"https://l.example/\"><img src=\"b.png\" alt=\"バナー\"></a>") ==
        "[画像/image: バナー] <https://l.example/>\n");
}

TEST_CASE("nothing from scripts, styles, head, title and other hidden parts", "[html]") {
  CHECK(html_text("<html><head><title>Title</title><style>p{color:red}</style><script>var a = '<p>x</p>';</script>"
                  "</head><body><p>visible</p><noscript>noscript</noscript><template><p>t</p></template>"
                  "<iframe src=\"https://x\">frame</iframe><object>obj</object><svg><text>svg</text></svg>"
                  "<math><mi>x</mi></math><select><option>opt</option></select></body></html>") == "visible\n");
  CHECK(html_text("<!--[if mso]><p>mso only</p><![endif]--><p>visible</p>") == "visible\n");
}

TEST_CASE("blockquotes are marked with '> '", "[html]") {
  CHECK(html_text("<p>返信です</p><blockquote><p>quoted</p><p>second</p></blockquote><p>end</p>") ==
        "返信です\n\n> quoted\n>\n> second\n\nend\n");
}

TEST_CASE("ruby annotations are kept in brackets", "[html][japanese]") {
  CHECK(html_text("<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>") == "漢字(かんじ)\n");
}

TEST_CASE("plain text without markup and empty input", "[html]") {
  CHECK(html_text("just text") == "just text\n");
  const mugai::Outcome empty = run_html("");
  CHECK(empty.action == Action::converted);
  CHECK(empty.bytes.empty());
}

TEST_CASE("defang_urls applies to links and text", "[html][defang]") {
  const mugai::Outcome out =
      run_html("<p>See <a href=\"https://a.example.com/x\">here</a> or http://b.example</p>", "", {{"defang_urls", "true"}});
  CHECK(out.bytes == "See here <hxxps://a[.]example[.]com/x> or hxxp://b[.]example\n");
  CHECK(has_finding(out, "text.url-defanged"));
  CHECK(out.reason == "HTML converted to plain text; 2 URLs defanged");
}

TEST_CASE("a uuencoded file inside <pre> is extracted as in text bodies", "[html][uuencode]") {
  const mugai::Outcome out = run_html("<pre>begin 644 a.bin\n#86)C\n`\nend\n</pre>");
  REQUIRE(out.extracted.size() == 1);
  CHECK(out.extracted[0].bytes == "abc");
  CHECK(out.bytes.find("begin 644") == std::string::npos);
  CHECK(out.reason == "HTML converted to plain text; 1 uuencoded file extracted");
}

TEST_CASE("control characters from markup and character references are removed", "[html]") {
  const mugai::Outcome out = run_html("plain text &#x85; &#x9B;[0m tail<pre>a\x01" "b</pre>");
  CHECK(out.bytes == "plain text [0m tail\n\nab\n");
  const auto f = finding(out, "text.control-characters");
  REQUIRE(f);
  CHECK(f->detail == "3 control characters removed");
}

TEST_CASE("the text module finds nothing to change in the output", "[html]") {
  const std::string first = html_text("<h1>A</h1><ul><li>x</li></ul><table><tr><td>1<td>2</table><pre>p\n q</pre>");
  TestContext test;
  const mugai::sanitizers::text::TextSanitizer text_module;
  const mugai::Outcome again =
      text_module.run(make_part(first, "utf-8", "text/plain", mugai::TypeClass::text), "keep", {}, test.context);
  CHECK(again.action == Action::kept);
  CHECK(again.bytes == first);
}
