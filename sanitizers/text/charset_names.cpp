#include "text/charset_names.h"

#include <array>
#include <utility>

namespace mugai::sanitizers::text {
namespace {

// Prefixes of the converters mugai::charset chooses (labels.cpp there) and their usual names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kNames{{
    {"ibm-943", "Shift_JIS"},
    {"ISO_2022,locale=ja", "ISO-2022-JP"},
    {"euc-jp", "EUC-JP"},
    {"UTF-8", "UTF-8"},
    {"US-ASCII", "US-ASCII"},
    {"ibm-5348", "windows-1252"},
    {"gb18030", "GB18030"},
    {"windows-949", "EUC-KR"},
    {"UTF-16", "UTF-16"},
}};

}  // namespace

std::string charset_display_name(std::string_view converter) {
  for (const auto& [prefix, name] : kNames)
    if (converter.starts_with(prefix)) return std::string(name);
  return std::string(converter);
}

bool is_utf8_compatible(std::string_view converter) {
  return converter == "UTF-8" || converter == "US-ASCII";
}

}  // namespace mugai::sanitizers::text
