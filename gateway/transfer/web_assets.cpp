#include "web_assets.h"

#include <array>

namespace mugai::embedded {
extern const std::string_view transfer_index_html;
extern const std::string_view transfer_app_css;
extern const std::string_view transfer_app_js;
extern const std::string_view transfer_transfer_js;
extern const std::string_view transfer_release_js;  // release pages (issue 9)
}  // namespace mugai::embedded

namespace mugai::transfer {

const WebAsset* find_web_asset(std::string_view path) {
  static const std::array<WebAsset, 6> kAssets{{
      {"/", "text/html; charset=utf-8", embedded::transfer_index_html},
      {"/index.html", "text/html; charset=utf-8", embedded::transfer_index_html},
      {"/static/app.css", "text/css; charset=utf-8", embedded::transfer_app_css},
      {"/static/app.js", "text/javascript; charset=utf-8", embedded::transfer_app_js},
      {"/static/transfer.js", "text/javascript; charset=utf-8", embedded::transfer_transfer_js},
      {"/static/release.js", "text/javascript; charset=utf-8", embedded::transfer_release_js},
  }};
  for (const WebAsset& asset : kAssets)
    if (asset.path == path) return &asset;
  return nullptr;
}

}  // namespace mugai::transfer
