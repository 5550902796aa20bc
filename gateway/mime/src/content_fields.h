// Content-Type, Content-Disposition and Content-Transfer-Encoding of one part, read from the raw
// header values with mugai::charset::parse_parameters (never GMime's parameter decoder, which
// converts through glibc iconv and garbles CP932 and NEC row 13 file names).
//
// Stated repair rules: the first of several Content-Type fields wins (GMime itself takes the last;
// the tree builder refuses the message when that difference changes the structure); an absent or
// invalid Content-Type means text/plain; charset=us-ascii (RFC 2045 §5.2); an unknown disposition
// type is an attachment (RFC 2183 §2.8).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "mugai/mime/tree.h"

namespace mugai::mime::detail {

struct ContentFields {
  std::string content_type;  // lower-case "type/subtype", "" when absent or invalid
  std::size_t content_type_fields = 0;
  bool content_types_differ = false;  // several Content-Type fields, not all the same
  std::map<std::string, std::string, std::less<>> type_params;
  std::string disposition;        // "attachment", "inline" or ""
  std::string filename;           // decoded UTF-8
  std::string transfer_encoding;  // lower-case first token, "" when absent
  std::vector<Finding> repairs;
};

ContentFields read_content_fields(const std::vector<Header>& headers);

// RFC 2045 "type/subtype" with both sides tokens (no tspecials, blanks or controls).
bool is_valid_media_type(std::string_view type);

}  // namespace mugai::mime::detail
