#include "body_decode.h"

#include <algorithm>

#include "excerpt.h"
#include "gmime_session.h"
#include "transfer_check.h"

namespace mugai::mime::detail {
namespace {

std::string read_stream(GMimeStream* stream) {
  std::string bytes;
  if (g_mime_stream_reset(stream) != 0) return bytes;
  const gint64 length = g_mime_stream_length(stream);
  if (length > 0) bytes.reserve(static_cast<std::size_t>(length));
  char buffer[65536];
  while (true) {
    const ssize_t got = g_mime_stream_read(stream, buffer, sizeof buffer);
    if (got <= 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  g_mime_stream_reset(stream);
  return bytes;
}

// Base64 and quoted-printable: GMime's decoder run over the bytes in one call, straight into the
// result (no intermediate stream, which doubled the memory of a 25 MB attachment).
std::string decode_in_one_step(std::string_view encoded, GMimeContentEncoding encoding) {
  GMimeEncoding state;
  g_mime_encoding_init_decode(&state, encoding);
  std::string out(g_mime_encoding_outlen(&state, encoded.size()), '\0');
  const std::size_t written = g_mime_encoding_flush(&state, encoded.data(), encoded.size(), out.data());
  out.resize(std::min(written, out.size()));
  return out;
}

// uuencode needs GMime's filter, which finds the "begin" line first.
std::string decode_with_gmime(GMimeDataWrapper* wrapper) {
  GRef<GMimeStream> sink(g_mime_stream_mem_new());
  if (!sink) return {};
  if (g_mime_data_wrapper_write_to_stream(wrapper, sink.get()) < 0) return {};
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
  if (!array || array->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

}  // namespace

void check_unencoded_body(std::string_view bytes, std::vector<Finding>& repairs) {
  const std::size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos)
    repairs.push_back({"mime.nul-in-body", "NUL byte at body offset " + std::to_string(nul) +
                                               " of a body that is not base64: kept as data"});
}

LeafBody decode_leaf_body(GMimePart* part, std::string_view declared_encoding) {
  LeafBody body;
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  GMimeStream* stream = wrapper ? g_mime_data_wrapper_get_stream(wrapper) : nullptr;
  if (!stream) return body;  // GMime found no content at all: an empty body

  // The first Content-Transfer-Encoding field wins, as for Content-Type (GMime takes the last).
  const GMimeContentEncoding encoding =
      declared_encoding.empty() ? GMIME_CONTENT_ENCODING_DEFAULT
                                : g_mime_content_encoding_from_string(std::string(declared_encoding).c_str());
  g_mime_data_wrapper_set_encoding(wrapper, encoding);

  std::string encoded = read_stream(stream);
  body.encoded_size = encoded.size();
  switch (encoding) {
    case GMIME_CONTENT_ENCODING_BASE64: {
      const Base64Check check = check_base64(encoded);
      if (!check.ok()) body.repairs.push_back({"mime.bad-base64", check.describe()});
      body.bytes = decode_in_one_step(encoded, encoding);
      return body;
    }
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE: {
      const QuotedPrintableCheck check = check_quoted_printable(encoded);
      if (!check.ok())
        body.repairs.push_back(
            {"mime.bad-quoted-printable",
             std::to_string(check.bad_escapes) + " '=' not followed by two hex digits: kept literally"});
      check_unencoded_body(encoded, body.repairs);
      body.bytes = decode_in_one_step(encoded, encoding);
      return body;
    }
    case GMIME_CONTENT_ENCODING_UUENCODE:
      body.bytes = decode_with_gmime(wrapper);
      return body;
    default:
      break;
  }
  if (encoding == GMIME_CONTENT_ENCODING_DEFAULT && !declared_encoding.empty())
    body.repairs.push_back({"mime.unknown-transfer-encoding",
                            "Content-Transfer-Encoding '" + printable_excerpt(declared_encoding) +
                                "' is unknown: body taken as binary, as it stands"});
  check_unencoded_body(encoded, body.repairs);
  body.bytes = std::move(encoded);
  return body;
}

}  // namespace mugai::mime::detail
