// PLACEHOLDER: fails closed until implemented.
#include "html/html_sanitizer.h"
namespace mugai::sanitizers::html {
bool HtmlSanitizer::handles(const FileType&) const { return false; }
bool HtmlSanitizer::supports(std::string_view) const { return false; }
Outcome HtmlSanitizer::run(const Part&, std::string_view, const ModuleOptions&, Context&) const {
  Outcome out;
  out.action = Action::removed;
  out.reason = "module not implemented";
  return out;
}
}  // namespace mugai::sanitizers::html
