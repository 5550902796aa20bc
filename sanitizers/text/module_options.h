// Reading the `options:` map of a profile rule the same way in every text-producing module.
#pragma once

#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::text {

// true for "true", "yes", "on", "1" (any case); anything else, or absent, is false.
bool option_enabled(const ModuleOptions& options, std::string_view key);

}  // namespace mugai::sanitizers::text
