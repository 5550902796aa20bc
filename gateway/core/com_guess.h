// libmagic's DOS .COM rules have no header to match: they guess from the first instruction byte
// (0x8C MOV, 0xB8 MOV AX, 0xE9 JMP, ...). Those bytes are also lead bytes of common kanji: "検査",
// "決定", "見積" in Shift_JIS/CP932 start with 0x8C, "検" in EUC-JP with 0xB8. Japanese text files
// must not be rejected as programs because of that guess.
#pragma once

#include <string_view>

namespace mugai::core {

// True when libmagic's description is one of its .COM guesses (not an MZ/PE header).
bool is_com_guess(std::string_view description);

// True when every byte reads as Japanese text: CP932, EUC-JP or UTF-8 without one invalid
// sequence, at least one multi-byte character, and no control byte but TAB, CR, LF, FF and a
// trailing DOS end-of-file (0x1A). Real .COM programs are machine code full of control bytes.
bool reads_as_japanese_text(std::string_view bytes);

}  // namespace mugai::core
