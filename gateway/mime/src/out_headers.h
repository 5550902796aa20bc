// The header of the message build() writes: the caller's fields in order, each turned into a
// 7-bit raw value that GMime then writes verbatim (with CRLF). Address fields (From, To, Cc, Bcc,
// Reply-To, Sender and their Resent- forms) are parsed from UTF-8 with
// internet_address_list_parse and re-encoded by GMime so that only display names carry RFC 2047
// words; everything else is unstructured text (header_text.h).
//
// Stated rules: exactly one From, the first one given; without one (the caller's mistake, or a
// received message without From) the placeholder "From: <postmaster@invalid>" is written (the
// .invalid TLD cannot be delivered to, RFC 2606). An address field that does not parse, or cannot
// be written in 7 bits (a UTF-8 local part), keeps its text as a display name: From/Sender as
// `"text" <postmaster@invalid>`, the others as an empty group `text: ;`. Content-* and
// MIME-Version fields are ignored (the builder writes those); fields with an invalid name or an
// empty value are dropped.
#pragma once

#include <gmime/gmime.h>

#include <vector>

#include "mugai/mime/build.h"

namespace mugai::mime::detail {

void append_out_headers(GMimeObject* message, const std::vector<OutHeader>& headers);

}  // namespace mugai::mime::detail
