// ISO-2022-JP byte-level helpers for decoding (internal to mugai_charset).
#pragma once

#include <string>
#include <string_view>

namespace mugai::charset::detail {

// True when `bytes` contain a Japanese ISO-2022 designation (ESC $ B, ESC $ @, ESC ( J,
// ESC ( I, ESC $ ( D, ESC & @): the mark of ISO-2022-JP text.
bool has_jis_escape(std::string_view bytes);

// Rewrites SO/SI-shifted JIS X 0201 katakana (the "JIS7" variant some old senders use) into the
// ESC ( I form ICU understands. Returns the input unchanged when there is no SO byte.
std::string expand_shifted_katakana(std::string_view bytes);

}  // namespace mugai::charset::detail
