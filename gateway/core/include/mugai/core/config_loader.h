// YAML -> Config with validation: unknown keys, wrong types, out-of-range or unsafe limits,
// unknown profiles/actions/modules/classes are errors with line and column.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/core/config.h"

namespace mugai::core {

struct ConfigError {
  int line = 0;    // 1-based; 0 when not tied to a place
  int column = 0;  // 1-based
  std::string message;
};

struct LoadResult {
  std::optional<Config> config;  // present only when errors is empty
  std::vector<ConfigError> errors;
};

LoadResult load_config_text(std::string_view yaml_text);
LoadResult load_config_file(const std::string& path);
// The configuration compiled into the binary (config/mugai.yaml); always valid (a test proves it).
const Config& embedded_config();

}  // namespace mugai::core
