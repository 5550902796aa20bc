// PLACEHOLDER: fails closed until implemented.
#include "text/text_sanitizer.h"
namespace mugai::sanitizers::text {
bool TextSanitizer::handles(const FileType&) const { return false; }
bool TextSanitizer::supports(std::string_view) const { return false; }
Outcome TextSanitizer::run(const Part&, std::string_view, const ModuleOptions&, Context&) const {
  Outcome out;
  out.action = Action::removed;
  out.reason = "module not implemented";
  return out;
}
}  // namespace mugai::sanitizers::text
