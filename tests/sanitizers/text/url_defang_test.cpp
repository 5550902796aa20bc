// URL defanging rules, directly on the helper.
#include <catch2/catch.hpp>

#include "text/url_defang.h"

using mugai::sanitizers::text::defang_urls;

namespace {
std::string defang(std::string text, std::size_t expected_count) {
  CHECK(defang_urls(text) == expected_count);
  return text;
}
}  // namespace

TEST_CASE("http and https become hxxp and hxxps, host dots become [.]", "[text][defang]") {
  CHECK(defang("http://a.example/x.y?z=1.2", 1) == "hxxp://a[.]example/x.y?z=1.2");
  CHECK(defang("https://user@mail.example.co.jp:8443/p", 1) == "hxxps://user@mail[.]example[.]co[.]jp:8443/p");
  CHECK(defang("HTTP://A.B HtTpS://c.d", 2) == "HXXP://A[.]B HxXpS://c[.]d");
  CHECK(defang("http://a.bhttp://c.d:80http://e.f", 3) == "hxxp://a[.]bhxxp://c[.]d:80hxxp://e[.]f");  // found by fuzzing
}

TEST_CASE("Japanese text after a URL is untouched", "[text][defang]") {
  CHECK(defang("https://example.jpをご覧ください。次へ", 1) == "hxxps://example[.]jpをご覧ください。次へ");
  CHECK(defang("「http://a.example」", 1) == "「hxxp://a[.]example」");
  CHECK(defang("http://日本語.jp/ページ", 1) == "hxxp://日本語[.]jp/ページ");
}

TEST_CASE("text without URLs and already defanged text are unchanged", "[text][defang]") {
  CHECK(defang("mailto:a@b.example and ftp://x.y and http:/broken", 0) == "mailto:a@b.example and ftp://x.y and http:/broken");
  CHECK(defang("hxxps://a[.]b", 0) == "hxxps://a[.]b");
  CHECK(defang("http://", 1) == "hxxp://");
  CHECK(defang("", 0).empty());
}
