#include "mugai/registry.h"

#include <array>

#include "html/html_sanitizer.h"
#include "text/text_sanitizer.h"

namespace mugai::sanitizers {
namespace {

// The one list of built-in modules, in the order module_for() tries them.
const text::TextSanitizer kText;
const html::HtmlSanitizer kHtml;
constexpr std::array<const Sanitizer*, 2> kModules{&kText, &kHtml};

}  // namespace

std::span<const Sanitizer* const> builtin_modules() { return kModules; }

const Sanitizer* find_module(std::string_view name) {
  for (const Sanitizer* module : kModules)
    if (module->name() == name) return module;
  return nullptr;
}

const Sanitizer* module_for(const FileType& type, std::string_view action) {
  for (const Sanitizer* module : kModules)
    if (module->handles(type) && module->supports(action)) return module;
  return nullptr;
}

}  // namespace mugai::sanitizers
