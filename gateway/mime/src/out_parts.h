// The MIME parts build() writes: the text body and the attachments.
//
// Body (stated rules): line breaks are normalised to CRLF, and a non-empty body ends with one. "iso-2022-jp"
// is tried line by line with mugai::charset::utf8_to_iso2022jp and written 7bit; if any character has no
// mapping or any line would pass 998 octets, the body is written in UTF-8 instead (never '?'). UTF-8 is
// written 7bit when it is ASCII with short lines, otherwise in the transfer encoding GMime's
// best-encoding filter picks for 7-bit transport: base64 when much of the text is 8-bit
// (Japanese), quoted-printable when little of it is.
// Attachments: always base64; Content-Disposition: attachment with the file name RFC 2231 encoded
// in UTF-8, and name= on Content-Type (attachment_params.h); text types carry their charset. An
// invalid or composite media type (message/*, multipart/*: never base64, RFC 2045 6.4) is written
// as application/octet-stream.
#pragma once

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "gmime_session.h"
#include "mugai/mime/build.h"

namespace mugai::mime::detail {

struct TextBody {
  std::string bytes;    // as it goes on the wire before transfer encoding (CRLF line ends)
  std::string charset;  // "utf-8" or "iso-2022-jp"
};

// The body in its final charset, applying the ISO-2022-JP fallback rule.
TextBody encode_text_body(const OutMessage& message);

GRef<GMimeObject> make_text_part(const TextBody& body);
// The part's body is body_placeholder, a line build() replaces with the base64 of the bytes.
GRef<GMimeObject> make_attachment_part(const OutAttachment& attachment, bool rfc2047_name,
                                       std::string_view body_placeholder);

}  // namespace mugai::mime::detail
