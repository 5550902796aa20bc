// The web page (gateway/transfer/web/), compiled into the binary: one table of path -> bytes.
// Further pages (the quarantine release page of issue 9) add their script here and register
// themselves in the page's router (web/app.js: Mugai.pages).
#pragma once

#include <string_view>

namespace mugai::transfer {

struct WebAsset {
  std::string_view path;          // "/", "/static/app.js"
  std::string_view content_type;
  std::string_view body;
};

const WebAsset* find_web_asset(std::string_view path);

}  // namespace mugai::transfer
