// The Content-Type and Content-Disposition values of an attachment, written here rather than by
// GMime's parameter encoder, which splits RFC 2231 continuations inside a UTF-8 character
// (Python's email then reports undecodable bytes) and writes one RFC 2047 word longer than the 75
// characters RFC 2047 allows, on one line that can pass 998 octets for a long name.
//
// filename (Content-Disposition): a short printable-ASCII name as a token or quoted string;
// anything else RFC 2231 UTF-8, in continuations cut between characters, each line within 78.
// name= (Content-Type): the same as filename, or, for clients that predate RFC 2231 (what Outlook
// sends; older Japanese MUAs read it), RFC 2047 UTF-8 words, each whole characters within 75,
// inside one quoted string folded between the words.
#pragma once

#include <string>
#include <string_view>

namespace mugai::mime::detail {

// Raw values as GMime stores them: leading space, "\n\t" folds, final "\n".
std::string attachment_content_type(std::string_view type, std::string_view charset,
                                    std::string_view filename, bool rfc2047_name);
std::string attachment_disposition(std::string_view filename);

}  // namespace mugai::mime::detail
