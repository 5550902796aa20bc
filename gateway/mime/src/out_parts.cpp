#include "out_parts.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "attachment_params.h"
#include "content_fields.h"
#include "header_text.h"
#include "mugai/charset/charset.h"

namespace mugai::mime::detail {
namespace {

constexpr std::size_t kMaxLineOctets = 998;

std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string_view> crlf_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find("\r\n", begin);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(begin));
      return lines;
    }
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 2;
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Line by line, so every line ends in ASCII mode as RFC 1468 requires, whatever the encoder does.
std::optional<std::string> to_iso2022jp(std::string_view crlf_text) {
  std::string out;
  bool first = true;
  for (std::string_view line : crlf_lines(crlf_text)) {
    std::optional<std::string> encoded = charset::utf8_to_iso2022jp(line);
    if (!encoded || encoded->size() > kMaxLineOctets) return std::nullopt;
    if (std::any_of(encoded->begin(), encoded->end(), [](char c) {
          const auto byte = static_cast<unsigned char>(c);
          return byte >= 0x80 || byte == 0 || byte == '\r' || byte == '\n';
        }))
      return std::nullopt;
    if (!first) out += "\r\n";
    out += *encoded;
    first = false;
  }
  return out;
}

bool is_short_line_ascii(std::string_view crlf_text) {
  for (std::string_view line : crlf_lines(crlf_text)) {
    if (line.size() > kMaxLineOctets) return false;
    for (const char c : line) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x80 || byte == 0 || byte == '\r' || (byte < 0x20 && byte != '\t')) return false;
    }
  }
  return true;
}

GRef<GMimeDataWrapper> wrap(std::string_view bytes,
                             GMimeContentEncoding encoding = GMIME_CONTENT_ENCODING_DEFAULT) {
  GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  return GRef<GMimeDataWrapper>(g_mime_data_wrapper_new_with_stream(stream.get(), encoding));
}

std::pair<std::string, std::string> split_type(std::string_view type) {
  const std::size_t slash = type.find('/');
  return {std::string(type.substr(0, slash)), std::string(type.substr(slash + 1))};
}

// Stores a raw value GMime writes verbatim (its CRLF filter still applies).
void set_raw_header(GMimeObject* object, const char* name, const std::string& raw_value) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  GMimeHeader* header = list ? g_mime_header_list_get_header(list, name) : nullptr;
  if (!header) {
    g_mime_object_append_header(object, name, "", nullptr);
    header = list ? g_mime_header_list_get_header(list, name) : nullptr;
  }
  if (header) g_mime_header_set_raw_value(header, raw_value.c_str());
}

bool is_charset_token(std::string_view text) {
  return !text.empty() && text.size() <= 40 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
  });
}

}  // namespace

TextBody encode_text_body(const OutMessage& message) {
  std::string utf8 = charset::is_valid_utf8(message.body_utf8)
                         ? message.body_utf8
                         : charset::to_utf8(message.body_utf8, "utf-8").utf8;
  std::string crlf = to_crlf(utf8);
  // Text ends with a line break: quoted-printable and 7bit output end with one anyway, so this
  // keeps the body the same in every transfer encoding.
  if (!crlf.empty() && !crlf.ends_with("\r\n")) crlf += "\r\n";
  if (iequals(message.body_charset, "iso-2022-jp"))
    if (std::optional<std::string> jis = to_iso2022jp(crlf)) return {std::move(*jis), "iso-2022-jp"};
  return {std::move(crlf), "utf-8"};
}

GRef<GMimeObject> make_text_part(const TextBody& body) {
  GRef<GMimeObject> part(GMIME_OBJECT(g_mime_part_new_with_type("text", "plain")));
  g_mime_object_set_content_type_parameter(part.get(), "charset", body.charset.c_str());
  GMimePart* leaf = GMIME_PART(part.get());
  if (body.charset == "iso-2022-jp" || is_short_line_ascii(body.bytes)) {
    // 7bit: GMime's CRLF filter writes the line ends, so it gets LF ones (no CR doubled).
    std::string lf;
    lf.reserve(body.bytes.size());
    for (std::size_t i = 0; i < body.bytes.size(); ++i)
      if (!(body.bytes[i] == '\r' && i + 1 < body.bytes.size() && body.bytes[i + 1] == '\n'))
        lf.push_back(body.bytes[i]);
    g_mime_part_set_content(leaf, wrap(lf).get());
    g_mime_part_set_content_encoding(leaf, GMIME_CONTENT_ENCODING_7BIT);
    return part;
  }
  g_mime_part_set_content(leaf, wrap(body.bytes).get());
  GMimeContentEncoding best = g_mime_part_get_best_content_encoding(leaf, GMIME_ENCODING_CONSTRAINT_7BIT);
  if (best != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE) best = GMIME_CONTENT_ENCODING_BASE64;
  g_mime_part_set_content_encoding(leaf, best);
  return part;
}

GRef<GMimeObject> make_attachment_part(const OutAttachment& attachment, bool rfc2047_name,
                                       std::string_view body_placeholder) {
  std::string type = attachment.content_type;
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Attachments are base64, which RFC 2045 6.4 forbids for composite types (message/*, multipart/*).
  if (!is_valid_media_type(type) || type.starts_with("message/") || type.starts_with("multipart/"))
    type = "application/octet-stream";
  const auto [media, subtype] = split_type(type);
  GRef<GMimeObject> part(GMIME_OBJECT(g_mime_part_new_with_type(media.c_str(), subtype.c_str())));
  if (media == "text" && is_charset_token(attachment.charset))
    g_mime_object_set_content_type_parameter(part.get(), "charset", attachment.charset.c_str());
  GMimePart* leaf = GMIME_PART(part.get());
  const std::string filename = clean_header_utf8(attachment.filename);
  g_mime_object_set_disposition(part.get(), GMIME_DISPOSITION_ATTACHMENT);
  if (!filename.empty()) g_mime_part_set_filename(leaf, filename.c_str());
  // Declared already base64, so GMime writes the placeholder as it stands.
  g_mime_part_set_content(leaf, wrap(body_placeholder, GMIME_CONTENT_ENCODING_BASE64).get());
  g_mime_part_set_content_encoding(leaf, GMIME_CONTENT_ENCODING_BASE64);
  // Last, so no later change of GMime's objects reformats them (attachment_params.h says why).
  const char* charset = g_mime_object_get_content_type_parameter(part.get(), "charset");
  set_raw_header(part.get(), "Content-Type",
                 attachment_content_type(type, charset ? charset : "", filename, rfc2047_name));
  set_raw_header(part.get(), "Content-Disposition", attachment_disposition(filename));
  return part;
}

}  // namespace mugai::mime::detail
