// What a legacy Office compound file holds: which application wrote it (by its main stream),
// VBA projects (Word "Macros", Excel "_VBA_PROJECT_CUR", any "VBA" storage or "_VBA_PROJECT" /
// "dir" stream), embedded objects ("ObjectPool", Excel "MBD..." storages, "\x01Ole10Native",
// "\x01Ole" streams) and encryption ("EncryptionInfo"/"EncryptedPackage": a password-protected
// OOXML file, whose content mugai cannot see).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"
#include "ole2/compound_file.h"

namespace mugai::sanitizers::ole2 {

enum class OfficeKind { none, word, excel, powerpoint };

struct Scan {
  OfficeKind kind = OfficeKind::none;
  std::vector<std::string> vba_paths;     // storages/streams belonging to a VBA project
  std::vector<std::string> object_paths;  // embedded objects
  bool encrypted = false;
  std::size_t xlm_sheets = 0;  // Excel 4.0 macro sheets (excel_macro_sheets.h), filled for Excel
  std::size_t xlm_very_hidden = 0;
  std::size_t dde_fields = 0;  // DDE/DDEAUTO field codes in a Word stream (word_dde.h)
};

Scan scan_tree(const std::vector<Entry>& entries);

// Storages (and loose streams) strip-active drops: VBA projects and embedded objects.
bool is_active_entry(const Entry& entry);

std::string_view kind_noun(OfficeKind kind);        // "Word document"
std::string_view kind_extension(OfficeKind kind);   // "doc"
std::string_view ooxml_extension(OfficeKind kind);  // "docx"

}  // namespace mugai::sanitizers::ole2
