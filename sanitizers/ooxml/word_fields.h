// DDE and DDEAUTO fields in WordprocessingML parts. A DDE field starts another program (the
// classic "DDEAUTO c:\\windows\\system32\\cmd.exe" attack) when the document opens or updates.
// Both spellings are handled: w:fldSimple (w:instr attribute) and complex fields (w:fldChar
// begin/separate/end around w:instrText runs, where the instruction can be split over any number
// of runs, e.g. "DD" + "EAUTO", and fields can nest). The field code goes; the cached result
// text stays, so the reader still sees what the author saw.
#pragma once

#include <libxml/tree.h>

#include <cstddef>

namespace mugai::sanitizers::ooxml {

// Removes every DDE/DDEAUTO field from the document; returns how many were removed.
std::size_t remove_dde_fields(xmlDoc* doc);

}  // namespace mugai::sanitizers::ooxml
