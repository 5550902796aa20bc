// mugai::mime::build: the clean message mugai delivers, written by GMime (never by pasting
// strings): headers from out_headers, parts from out_parts, a content-derived boundary, CRLF line
// ends (GMIME_NEWLINE_FORMAT_DOS). No Date or Message-ID is added: the caller's headers are the
// only ones, so the same OutMessage always gives the same bytes.
//
// Attachment bodies are the one exception to "written by GMime": GMime writes each as a one-line
// placeholder, which is then replaced by the attachment's base64 (base64_lines.h). GMime's
// writer pushes every body through its encode and newline filters in small chunks; for a
// multi-megabyte attachment that cost several times the encoding itself (bench/README.md).
// The layout is the one GMime writes: 76-character lines, each ending CRLF.
#include "mugai/mime/build.h"

#include <stdexcept>
#include <vector>

#include "src/base64_lines.h"
#include "src/boundary.h"
#include "src/gmime_session.h"
#include "src/out_headers.h"
#include "src/out_parts.h"

namespace mugai::mime {
namespace {

// Unique in the output: it holds the boundary, which is a hash over every header, the text body
// and every file name, so no sender can place it there.
std::string body_placeholder(const std::string& boundary, std::size_t index) {
  return "mugai-attachment-body-" + std::to_string(index) + boundary;
}

// Replaces each attachment's placeholder (the last in the output is the last attachment's) by
// its base64 lines. GMime writes the placeholder with no line end of its own; the CRLF after it
// belongs to the next boundary line.
std::string splice_bodies(std::string_view skeleton, const OutMessage& message, const std::string& boundary) {
  std::vector<std::size_t> at(message.attachments.size());
  std::size_t search_end = skeleton.size();
  std::size_t encoded_size = skeleton.size();
  for (std::size_t i = message.attachments.size(); i-- > 0;) {
    const std::size_t found = skeleton.substr(0, search_end).rfind(body_placeholder(boundary, i));
    if (found == std::string_view::npos) throw std::logic_error("mime::build: attachment placeholder not written");
    at[i] = found;
    search_end = found;
    encoded_size += detail::base64_lines_size(message.attachments[i].bytes.size());
  }
  std::string out;
  out.reserve(encoded_size);
  std::size_t copied = 0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    out.append(skeleton.substr(copied, at[i] - copied));
    detail::append_base64_lines(out, message.attachments[i].bytes);
    copied = at[i] + body_placeholder(boundary, i).size();
  }
  out.append(skeleton.substr(copied));
  return out;
}

}  // namespace

std::string build(const OutMessage& message) {
  detail::ensure_gmime_initialised();
  const detail::TextBody body = detail::encode_text_body(message);

  detail::GRef<GMimeMessage> out(g_mime_message_new(FALSE));
  detail::append_out_headers(GMIME_OBJECT(out.get()), message.headers);

  detail::GRef<GMimeObject> text = detail::make_text_part(body);
  std::string boundary;
  if (message.attachments.empty()) {
    g_mime_message_set_mime_part(out.get(), text.get());
  } else {
    detail::GRef<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    boundary = detail::content_boundary(message, body.bytes);
    g_mime_multipart_set_boundary(mixed.get(), boundary.c_str());
    g_mime_multipart_add(mixed.get(), text.get());
    for (std::size_t i = 0; i < message.attachments.size(); ++i) {
      detail::GRef<GMimeObject> part = detail::make_attachment_part(
          message.attachments[i], message.rfc2047_names_for_old_clients, body_placeholder(boundary, i));
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
  const std::string_view skeleton(reinterpret_cast<const char*>(bytes->data), bytes->len);
  if (message.attachments.empty()) return std::string(skeleton);
  return splice_bodies(skeleton, message, boundary);
}

}  // namespace mugai::mime
