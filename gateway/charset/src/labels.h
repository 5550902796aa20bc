// The one label -> converter map of mugai (internal to mugai_charset).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mugai::charset::detail {

// Converters mugai chooses itself (see labels.cpp for why each one).
inline constexpr std::string_view kCp932Converter = "ibm-943_P15A-2003";
inline constexpr std::string_view kIso2022JpConverter = "ISO_2022,locale=ja,version=2";
inline constexpr std::string_view kEucJpConverter = "euc-jp-2007";
inline constexpr std::string_view kUtf8Converter = "UTF-8";
inline constexpr std::string_view kAsciiConverter = "US-ASCII";

// How to_utf8 treats a converter: 7-bit charsets cannot carry 8-bit bytes (label override),
// ISO-2022-JP needs the SO/SI rewrite, UTF-8 has a copy fast path.
enum class Family { ascii, iso2022jp, utf8, other };

struct Resolved {
  std::string converter;  // an ICU converter name
  Family family = Family::other;
};

// Lower-cases, trims blanks and quotes, maps '_' to '-'.
std::string normalize_label(std::string_view label);

// nullopt for an empty, malformed or unknown label.
std::optional<Resolved> resolve_label(std::string_view label);

}  // namespace mugai::charset::detail
