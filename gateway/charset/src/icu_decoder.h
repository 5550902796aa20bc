// ICU conversion to UTF-8 with every undecodable sequence replaced by U+FFFD and counted.
// Internal to mugai_charset.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::charset::detail {

struct IcuResult {
  std::string utf8;
  std::string converter;  // ICU's canonical name for the converter used
  std::size_t invalid_sequences = 0;
};

// nullopt when ICU has no converter called `icu_name` (never for the names labels.cpp returns).
std::optional<IcuResult> icu_decode(std::string_view icu_name, std::string_view bytes);

// ICU's canonical name for `name` (an alias ICU knows, with its data present), else nullopt.
std::optional<std::string> icu_canonical_name(std::string_view name);

}  // namespace mugai::charset::detail
