// Counts what the conversion to text leaves behind that a browser would have run, loaded or
// submitted: scripts, event handlers, frames, plug-in objects, forms, javascript:/data: URLs,
// remote images (tracking pixels: the sender learns when and where the mail was opened) and meta
// refresh redirects. Every element is inspected, also inside parts that produce no text (head,
// svg, noscript), so nothing goes unreported.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "html/html_events.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::html {

class ActiveContentTally {
 public:
  void inspect(std::string_view element, const Attributes& attributes);
  // One finding per kind seen, each with its count, in a fixed order.
  std::vector<Finding> findings() const;

 private:
  void inspect_url(std::string_view element, std::string_view attribute, std::string_view value);

  std::size_t scripts_ = 0;
  std::size_t event_handlers_ = 0;
  std::set<std::string> handler_names_;
  std::size_t frames_ = 0;
  std::size_t objects_ = 0;
  std::size_t forms_ = 0;
  std::size_t script_urls_ = 0;
  std::size_t data_urls_ = 0;
  std::size_t other_schemes_ = 0;
  std::set<std::string> other_scheme_names_;
  std::size_t remote_images_ = 0;
  std::size_t tracking_pixels_ = 0;
  std::size_t meta_refresh_ = 0;
};

}  // namespace mugai::sanitizers::html
