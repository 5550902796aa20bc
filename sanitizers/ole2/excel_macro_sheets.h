// Excel 4.0 (XLM) macro sheets in a BIFF8 Workbook stream. They hold macros without any VBA
// storage (the 2020-2021 XLM malware waves: a very hidden macro sheet with an Auto_Open name),
// so a storage-based strip cannot remove them. Found from the BoundSheet8 records of the
// workbook globals: sheet type 0x01 is a macro sheet.
#pragma once

#include <cstddef>
#include <string_view>

namespace mugai::sanitizers::ole2 {

struct MacroSheets {
  std::size_t count = 0;
  std::size_t very_hidden = 0;
};

MacroSheets excel_macro_sheets(std::string_view workbook_stream);

}  // namespace mugai::sanitizers::ole2
