// PLACEHOLDER: to be implemented by the text module owner.
#pragma once
#include "mugai/sanitizer.h"
namespace mugai::sanitizers::text {
class TextSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "text"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override;
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};
}  // namespace mugai::sanitizers::text
