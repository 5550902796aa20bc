// What the HTML parser reports, in document order, with libxml2's types kept out: element
// starts (lower-case names, decoded attribute values), ends (always properly nested), and text
// (entities already decoded, UTF-8).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace mugai::sanitizers::html {

using Attributes = std::vector<std::pair<std::string_view, std::string_view>>;

class HtmlEvents {
 public:
  virtual ~HtmlEvents() = default;
  virtual void start_element(std::string_view name, const Attributes& attributes) = 0;
  virtual void end_element(std::string_view name) = 0;
  virtual void text(std::string_view utf8) = 0;
  // Checked now and then: true stops the parse (an output budget ran out).
  virtual bool over_budget() const { return false; }
};

}  // namespace mugai::sanitizers::html
