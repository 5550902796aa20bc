#include "csv_formula.h"

namespace csv_formula {
namespace {

bool dangerous(char first) {
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
}

}  // namespace

Defused defuse(std::string_view csv) {
  Defused result;
  result.output.reserve(csv.size() + csv.size() / 8);
  std::size_t i = 0;
  bool at_cell_start = true;
  while (i < csv.size()) {
    const char c = csv[i];
    if (c == '\0') {
      result.error = "NUL byte at offset " + std::to_string(i) + ": not a text CSV file";
      return result;
    }
    if (!at_cell_start) {
      result.output.push_back(c);
      if (c == ',' || c == '\n') at_cell_start = true;
      ++i;
      continue;
    }
    at_cell_start = false;
    if (c == '"') {  // quoted cell: copy to the closing quote, "" is an escaped quote
      result.output.push_back('"');
      ++i;
      if (i < csv.size() && dangerous(csv[i])) {
        result.output.push_back('\'');
        ++result.cells_changed;
      }
      bool closed = false;
      while (i < csv.size()) {
        if (csv[i] == '"') {
          if (i + 1 < csv.size() && csv[i + 1] == '"') {
            result.output.append("\"\"");
            i += 2;
            continue;
          }
          result.output.push_back('"');
          ++i;
          closed = true;
          break;
        }
        if (csv[i] == '\0') {
          result.error = "NUL byte at offset " + std::to_string(i) + ": not a text CSV file";
          return result;
        }
        result.output.push_back(csv[i++]);
      }
      if (!closed) {
        result.error = "unterminated quoted cell";
        return result;
      }
      continue;
    }
    // Unquoted cell. A CR directly before LF ends the record; any other CR starts a formula.
    const bool line_end = c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n';
    if (dangerous(c) && !line_end) {
      result.output.push_back('\'');
      ++result.cells_changed;
    }
    if (c == ',' || c == '\n') at_cell_start = true;  // empty cell
    result.output.push_back(c);
    ++i;
  }
  result.ok = true;
  return result;
}

}  // namespace csv_formula
