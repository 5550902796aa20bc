// mugai's own view of a parsed message: a plain tree with decoded bodies and decoded names, built
// from GMime's parse by parse.h. Everything downstream (identify, decide, act, report) reads this,
// never GMime objects, so GMime stays behind one adapter.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::mime {

struct Header {
  std::string name;       // as sent
  std::string raw_value;  // unfolded, undecoded (may contain RFC 2047 words or raw 8-bit)
};

struct Node {
  std::string path;          // IMAP part numbers "1", "2.1"; a multipart message body is "0"
                             // (IMAP gives it none), one embedded in message/rfc822 at P "P.0"
  std::string content_type;  // lower-case "type/subtype"; "text/plain" when absent/invalid
  std::map<std::string, std::string, std::less<>> type_params;  // decoded UTF-8 (charset, name, ...)
  std::string disposition;                                      // "attachment", "inline" or ""
  std::string filename;           // decoded UTF-8: disposition filename, else Content-Type name
  std::string transfer_encoding;  // lower-case as declared ("base64", "quoted-printable", ...)
  std::vector<Header> headers;    // this part's own header fields, in order
  std::string body;               // leaf only: bytes after transfer decoding
  std::size_t encoded_size = 0;   // leaf only: bytes before transfer decoding
  std::vector<Node> children;     // multipart: the parts; message/rfc822: one child, the message
  std::vector<Finding> repairs;   // what the parser had to repair in this node ("mime.bad-base64")

  bool is_multipart() const { return content_type.starts_with("multipart/"); }
  bool is_message() const { return content_type == "message/rfc822"; }
};

}  // namespace mugai::mime
