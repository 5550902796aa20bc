#include "content_fields.h"

#include <algorithm>

#include "excerpt.h"
#include "mugai/charset/header_words.h"

namespace mugai::mime::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";
  return std::all_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && tspecials.find(c) == std::string_view::npos;
  });
}

std::vector<const Header*> fields_named(const std::vector<Header>& headers, std::string_view name) {
  std::vector<const Header*> found;
  for (const Header& header : headers)
    if (iequals(header.name, name)) found.push_back(&header);
  return found;
}

void add_parameter_problems(const charset::ParsedParameters& parsed, std::string_view field,
                            std::vector<Finding>& repairs) {
  for (const std::string& problem : parsed.problems)
    repairs.push_back({"mime.bad-parameter", std::string(field) + ": " + problem});
}

void read_content_type(const std::vector<Header>& headers, ContentFields& out) {
  const std::vector<const Header*> fields = fields_named(headers, "Content-Type");
  out.content_type_fields = fields.size();
  if (fields.empty()) return;
  for (const Header* field : fields)
    if (field->raw_value != fields.front()->raw_value) out.content_types_differ = true;
  if (fields.size() > 1)
    out.repairs.push_back(
        {"mime.duplicate-content-type", std::to_string(fields.size()) + " Content-Type fields" +
                                            (out.content_types_differ ? " that differ" : ", all the same") +
                                            ": the first is used"});

  charset::ParsedParameters parsed = charset::parse_parameters(fields.front()->raw_value);
  add_parameter_problems(parsed, "Content-Type", out.repairs);
  if (!is_valid_media_type(parsed.value)) {
    out.repairs.push_back(
        {"mime.invalid-content-type", "Content-Type '" + printable_excerpt(fields.front()->raw_value) +
                                          "' is not type/subtype: read as text/plain; charset=us-ascii "
                                          "(RFC 2045 section 5.2)"});
    return;
  }
  out.content_type = std::move(parsed.value);
  out.type_params = std::move(parsed.params);
}

void read_disposition(const std::vector<Header>& headers, ContentFields& out) {
  const std::vector<const Header*> fields = fields_named(headers, "Content-Disposition");
  if (fields.empty()) return;
  charset::ParsedParameters parsed = charset::parse_parameters(fields.front()->raw_value);
  add_parameter_problems(parsed, "Content-Disposition", out.repairs);
  if (parsed.value == "inline" || parsed.value == "attachment") {
    out.disposition = parsed.value;
  } else if (!parsed.value.empty()) {
    out.disposition = "attachment";
    out.repairs.push_back({"mime.unknown-disposition", "Content-Disposition '" +
                                                           printable_excerpt(parsed.value) +
                                                           "' read as attachment (RFC 2183 section 2.8)"});
  }
  if (const auto name = parsed.params.find("filename"); name != parsed.params.end())
    out.filename = name->second;
}

void read_transfer_encoding(const std::vector<Header>& headers, ContentFields& out) {
  const std::vector<const Header*> fields = fields_named(headers, "Content-Transfer-Encoding");
  if (fields.empty()) return;
  const std::string_view value = fields.front()->raw_value;
  const std::size_t begin = value.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return;
  const std::size_t end = value.find_first_of(" \t(;", begin);
  std::string token(value.substr(begin, end == std::string_view::npos ? end : end - begin));
  std::transform(token.begin(), token.end(), token.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  out.transfer_encoding = std::move(token);
}

}  // namespace

bool is_valid_media_type(std::string_view type) {
  const std::size_t slash = type.find('/');
  return slash != std::string_view::npos && is_token(type.substr(0, slash)) &&
         is_token(type.substr(slash + 1));
}

ContentFields read_content_fields(const std::vector<Header>& headers) {
  ContentFields out;
  read_content_type(headers, out);
  read_disposition(headers, out);
  if (out.filename.empty())
    if (const auto name = out.type_params.find("name"); name != out.type_params.end())
      out.filename = name->second;
  read_transfer_encoding(headers, out);
  return out;
}

}  // namespace mugai::mime::detail
