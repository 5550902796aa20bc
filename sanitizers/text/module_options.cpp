#include "text/module_options.h"

#include <string>

namespace mugai::sanitizers::text {

bool option_enabled(const ModuleOptions& options, std::string_view key) {
  const auto found = options.find(key);
  if (found == options.end()) return false;
  std::string value;
  for (char c : found->second) value.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return value == "true" || value == "yes" || value == "on" || value == "1";
}

}  // namespace mugai::sanitizers::text
