// Serialises a clean message: valid MIME, CRLF, no line over 998 octets, every header 7-bit with
// RFC 2047 where needed, exactly one From. Built with GMime's writer, never by string pasting.
#pragma once

#include <string>
#include <vector>

namespace mugai::mime {

struct OutHeader {
  std::string name;        // a safe header kept from the original, or X-Mugai-*
  std::string utf8_value;  // decoded value; addresses and text are re-encoded as needed
};

struct OutAttachment {
  std::string content_type;  // "type/subtype"
  std::string charset;       // text results only
  std::string filename;      // UTF-8; written RFC 2231 (and RFC 2047 in name= for old clients)
  std::string bytes;
};

struct OutMessage {
  std::vector<OutHeader> headers;          // in order; must contain From
  std::string body_utf8;                   // the text body, notice first
  std::string body_charset;                // "utf-8" or "iso-2022-jp" (falls back to utf-8 if unmappable)
  std::vector<OutAttachment> attachments;  // empty: the message is a single text/plain part
  // Non-ASCII file names also as RFC 2047 words in a quoted Content-Type name= (what Outlook sends
  // and MUAs older than RFC 2231 read). Off: name= is RFC 2231 like filename=, because RFC 2047
  // inside a quoted string is invalid (RFC 2047 section 5) and Python's email reports it.
  bool rfc2047_names_for_old_clients = false;
};

// Deterministic: the same OutMessage gives the same bytes (no Date or Message-ID is added, the
// boundary is derived from the content). Throws nothing but std::bad_alloc (and std::logic_error
// if GMime ever failed to write an attachment placeholder, which would be a bug).
std::string build(const OutMessage& message);

}  // namespace mugai::mime
