// One Japanese sentence with NEC row 13 characters (① ㈱) in the encodings Japanese mail uses.
#pragma once

#include <string>

#include "sanitizer_test_support.h"

namespace mugai::test {

inline const std::string kJapanese = "お知らせ：会議は①番会議室です。㈱テスト";
inline const std::string kJapaneseCp932 = from_hex(
    "82 A8 92 6D 82 E7 82 B9 81 46 89 EF 8B 63 82 CD 87 40 94 D4 89 EF 8B 63 8E BA 82 C5 82 B7 81 42 87 8A 83 "
    "65 83 58 83 67");
// Outlook's ISO-2022-JP: NEC row 13 (① = 2D21, ㈱ = 2D6A) inside ESC $ B.
inline const std::string kJapaneseIso2022Jp = "\x1B$B$*CN$i$;!'2q5D$O-!HV2q5D<<$G$9!#-j%F%9%H\x1B(B";
// "日本語テキスト" in EUC-JP.
inline const std::string kEucJpSample = from_hex("C6 FC CB DC B8 EC A5 C6 A5 AD A5 B9 A5 C8");

}  // namespace mugai::test
