// mugai::mime::build: the clean message mugai delivers, written by GMime (never by pasting
// strings): headers from out_headers, parts from out_parts, a content-derived boundary, CRLF line
// ends (GMIME_NEWLINE_FORMAT_DOS). No Date or Message-ID is added: the caller's headers are the
// only ones, so the same OutMessage always gives the same bytes.
#include "mugai/mime/build.h"

#include "src/boundary.h"
#include "src/gmime_session.h"
#include "src/out_headers.h"
#include "src/out_parts.h"

namespace mugai::mime {

std::string build(const OutMessage& message) {
  detail::ensure_gmime_initialised();
  const detail::TextBody body = detail::encode_text_body(message);

  detail::GRef<GMimeMessage> out(g_mime_message_new(FALSE));
  detail::append_out_headers(GMIME_OBJECT(out.get()), message.headers);

  detail::GRef<GMimeObject> text = detail::make_text_part(body);
  if (message.attachments.empty()) {
    g_mime_message_set_mime_part(out.get(), text.get());
  } else {
    detail::GRef<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_set_boundary(mixed.get(), detail::content_boundary(message, body.bytes).c_str());
    g_mime_multipart_add(mixed.get(), text.get());
    for (const OutAttachment& attachment : message.attachments) {
      detail::GRef<GMimeObject> part =
          detail::make_attachment_part(attachment, message.rfc2047_names_for_old_clients);
      g_mime_multipart_add(mixed.get(), part.get());
    }
    g_mime_message_set_mime_part(out.get(), GMIME_OBJECT(mixed.get()));
  }

  detail::FormatOptionsRef format(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
  detail::GRef<GMimeStream> sink(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(GMIME_OBJECT(out.get()), format.get(), sink.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
  if (!bytes || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

}  // namespace mugai::mime
