// YAML -> Config with validation: unknown keys, wrong types, out-of-range or unsafe limits,
// unknown profiles/actions/modules/classes are errors with line and column.
#pragma once

#include <cstddef>
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
// As above; a relative `notice_template_file` is resolved against base_dir ("" = working dir).
LoadResult load_config_text(std::string_view yaml_text, const std::string& base_dir);
// Reads at most kMaxConfigFileBytes; relative paths inside resolve against the file's directory.
LoadResult load_config_file(const std::string& path);
// The configuration compiled into the binary (config/mugai.yaml); always valid (a test proves it).
const Config& embedded_config();
// The text of config/mugai.yaml as compiled into the binary (`mugai config show`).
std::string_view embedded_config_text();

inline constexpr std::size_t kMaxConfigFileBytes = 1 << 20;
inline constexpr std::size_t kMaxNoticeTemplateBytes = 64 << 10;
inline constexpr std::size_t kMaxReportedErrors = 100;

// "FILE:LINE:COL: error: MESSAGE", or "FILE: error: MESSAGE" for errors not tied to a place.
std::string format_config_error(std::string_view file, const ConfigError& error);

// Every key the loader accepts, as a dotted path: "limits.max_parts", "serve.listen_port",
// "profiles.NAME.rules[].action", "select[].default". `default_text` is the built-in default
// (from Limits{}, ServeConfig{}, Profile{}, Config{}) in YAML spelling, absent for required keys
// and sections. config/REFERENCE.md documents exactly this list (a test checks it).
struct ConfigKey {
  std::string path;
  std::optional<std::string> default_text;
};
std::vector<ConfigKey> accepted_config_keys();

}  // namespace mugai::core
