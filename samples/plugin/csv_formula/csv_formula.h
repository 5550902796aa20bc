// The CSV formula-injection defuser behind the example plug-in, as a plain function so its unit
// tests need no plug-in loading. A cell whose value starts with = + - @ TAB or CR would be run as a
// formula by a spreadsheet (CWE-1236); it gets a leading apostrophe, which spreadsheets show as
// text. Quoted cells (RFC 4180, "" escapes, line breaks inside) are handled: the apostrophe goes
// inside the quotes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace csv_formula {

struct Defused {
  bool ok = false;           // false: not CSV we can read (unterminated quote, NUL byte)
  std::string error;
  std::string output;
  std::size_t cells_changed = 0;
};

Defused defuse(std::string_view csv);

}  // namespace csv_formula
