#include "out_headers.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "gmime_session.h"
#include "header_text.h"

namespace mugai::mime::detail {
namespace {

constexpr std::string_view kPlaceholderAddress = "postmaster@invalid";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_address_field(std::string_view name) {
  constexpr std::array<std::string_view, 6> kNames = {"From", "To", "Cc", "Bcc", "Reply-To", "Sender"};
  if (istarts_with(name, "Resent-")) name.remove_prefix(7);
  return std::any_of(kNames.begin(), kNames.end(),
                     [&](std::string_view known) { return iequals(name, known); });
}

bool needs_mailbox(std::string_view name) {
  if (istarts_with(name, "Resent-")) name.remove_prefix(7);
  return iequals(name, "From") || iequals(name, "Sender");
}

// Display names in UTF-8, so GMime never picks a charset through glibc iconv.
void use_utf8_names(InternetAddressList* list) {
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (!address) continue;
    internet_address_set_charset(address, "UTF-8");
    if (INTERNET_ADDRESS_IS_GROUP(address))
      if (InternetAddressList* members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)))
        use_utf8_names(members);
  }
}

std::optional<std::string> encode_list(std::string_view name, InternetAddressList* list,
                                       GMimeFormatOptions* format) {
  use_utf8_names(list);
  // Encode after "Name: " as GMime's own address formatter does, so folding counts the name.
  GString* text = g_string_new(nullptr);
  g_string_append_len(text, name.data(), static_cast<gssize>(name.size()));
  g_string_append(text, ": ");
  internet_address_list_encode(list, format, text);
  std::string raw(text->str + name.size() + 1, text->len - name.size() - 1);
  g_string_free(text, TRUE);
  if (!raw.ends_with('\n')) raw += "\n";
  // GMime writes an encoded group name right before its ':'; RFC 2047 section 5 wants a blank.
  for (std::size_t at = raw.find("?=:"); at != std::string::npos; at = raw.find("?=:", at + 3))
    raw.insert(at + 2, " ");
  if (!is_writable_field(name, raw)) return std::nullopt;
  return raw;
}

std::optional<std::string> parsed_addresses(std::string_view name, const std::string& utf8,
                                            GMimeParserOptions* parser, GMimeFormatOptions* format) {
  GRef<InternetAddressList> list(internet_address_list_parse(parser, utf8.c_str()));
  if (!list || internet_address_list_length(list.get()) == 0) return std::nullopt;
  return encode_list(name, list.get(), format);
}

std::string placeholder_addresses(std::string_view name, const std::string& utf8,
                                  GMimeFormatOptions* format) {
  GRef<InternetAddressList> list(internet_address_list_new());
  GRef<InternetAddress> address(needs_mailbox(name)
                                    ? internet_address_mailbox_new(utf8.c_str(), kPlaceholderAddress.data())
                                    : internet_address_group_new(utf8.c_str()));
  internet_address_list_add(list.get(), address.get());
  if (auto raw = encode_list(name, list.get(), format)) return *raw;
  return " <" + std::string(kPlaceholderAddress) + ">\n";
}

std::string address_raw_value(std::string_view name, const std::string& utf8, GMimeParserOptions* parser,
                              GMimeFormatOptions* format) {
  if (auto raw = parsed_addresses(name, utf8, parser, format)) return *raw;
  return placeholder_addresses(name, utf8, format);
}

void append_raw(GMimeObject* message, std::string_view name, const std::string& raw_value) {
  const std::string field_name(name);
  g_mime_object_append_header(message, field_name.c_str(), "", nullptr);
  GMimeHeaderList* list = g_mime_object_get_header_list(message);
  const int count = list ? g_mime_header_list_get_count(list) : 0;
  if (count == 0) return;
  if (GMimeHeader* header = g_mime_header_list_get_header_at(list, count - 1))
    g_mime_header_set_raw_value(header, raw_value.c_str());
}

}  // namespace

void append_out_headers(GMimeObject* message, const std::vector<OutHeader>& headers) {
  ParserOptionsRef parser(g_mime_parser_options_new());
  FormatOptionsRef format(g_mime_format_options_new());
  const bool has_from = std::any_of(headers.begin(), headers.end(), [](const OutHeader& header) {
    return iequals(header.name, "From") && !clean_header_utf8(header.utf8_value).empty();
  });
  if (!has_from) append_raw(message, "From", " <" + std::string(kPlaceholderAddress) + ">\n");

  bool from_written = false;
  for (const OutHeader& header : headers) {
    const std::string_view name = header.name;
    if (!is_valid_field_name(name) || istarts_with(name, "Content-") || iequals(name, "MIME-Version"))
      continue;
    const std::string value = clean_header_utf8(header.utf8_value);
    if (value.empty()) continue;
    if (iequals(name, "From")) {
      if (from_written) continue;  // exactly one From: the first one given
      from_written = true;
    }
    append_raw(message, name,
               is_address_field(name) ? address_raw_value(name, value, parser.get(), format.get())
                                      : unstructured_raw_value(name, value));
  }
}

}  // namespace mugai::mime::detail
