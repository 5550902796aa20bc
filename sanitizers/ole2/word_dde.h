// DDE and DDEAUTO fields in a Word 97-2003 WordDocument stream. A field starts with the
// character 0x13 followed by its instruction; the text is stored either as 8-bit (CP1252) or as
// UTF-16LE, so both spellings are searched. A libgsf rewrite cannot take a field out of the
// stream, so a document with one is not stripped (convert takes the field out in the OOXML
// step). Over-matching only removes a document, never lets one through.
#pragma once

#include <cstddef>
#include <string_view>

namespace mugai::sanitizers::ole2 {

std::size_t word_dde_fields(std::string_view word_document_stream);

}  // namespace mugai::sanitizers::ole2
