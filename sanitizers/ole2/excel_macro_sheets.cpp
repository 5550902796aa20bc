#include "ole2/excel_macro_sheets.h"

#include <cstdint>

namespace mugai::sanitizers::ole2 {
namespace {

constexpr std::uint16_t kBoundSheet = 0x0085;
constexpr std::uint16_t kEof = 0x000A;
constexpr std::uint8_t kMacroSheet = 0x01;
constexpr std::uint8_t kVeryHidden = 0x02;

std::uint16_t u16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

}  // namespace

MacroSheets excel_macro_sheets(std::string_view workbook) {
  MacroSheets sheets;
  // Records: type (2 bytes), length (2 bytes), data. The globals substream ends at the first EOF.
  for (std::size_t at = 0; at + 4 <= workbook.size();) {
    const std::uint16_t type = u16(workbook, at);
    const std::size_t length = u16(workbook, at + 2);
    const std::size_t data = at + 4;
    if (data + length > workbook.size()) break;
    if (type == kEof) break;
    if (type == kBoundSheet && length >= 6) {
      const auto state = static_cast<std::uint8_t>(workbook[data + 4] & 0x03);
      const auto kind = static_cast<std::uint8_t>(workbook[data + 5]);
      if (kind == kMacroSheet) {
        ++sheets.count;
        if (state == kVeryHidden) ++sheets.very_hidden;
      }
    }
    at = data + length;
  }
  return sheets;
}

}  // namespace mugai::sanitizers::ole2
