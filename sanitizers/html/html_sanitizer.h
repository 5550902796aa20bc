// PLACEHOLDER: to be implemented by the html module owner.
#pragma once
#include "mugai/sanitizer.h"
namespace mugai::sanitizers::html {
class HtmlSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "html"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};
}  // namespace mugai::sanitizers::html
