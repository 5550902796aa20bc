#include "header_block.h"

#include <algorithm>
#include <cstring>

#include "excerpt.h"

namespace mugai::mime::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

struct Field {
  gint64 offset = -1;
  std::string name;             // as sent, without the blanks before ':'
  std::string_view raw;         // name, ':' and value including folds and the final line break
  std::size_t value_begin = 0;  // index into `raw` just after ':'
  std::string fallback;         // GMime's copy, used only when the input cannot be re-read
};

// The extent of the field GMime found at `offset`, re-read with GMime's own rules: a field ends
// at a LF that is not followed by a blank (a folded line continues it).
std::optional<std::string_view> locate_field(std::string_view message, gint64 offset,
                                             std::string_view raw_name) {
  if (offset < 0 || static_cast<std::uint64_t>(offset) >= message.size()) return std::nullopt;
  const std::size_t begin = static_cast<std::size_t>(offset);
  const std::string_view rest = message.substr(begin);
  if (!rest.starts_with(raw_name) || rest.size() == raw_name.size() || rest[raw_name.size()] != ':')
    return std::nullopt;
  std::size_t end = raw_name.size() + 1;
  while (true) {
    const std::size_t newline = rest.find('\n', end);
    if (newline == std::string_view::npos) {
      end = rest.size();
      break;
    }
    end = newline + 1;
    if (end >= rest.size() || !is_blank(rest[end])) break;
  }
  return rest.substr(0, end);
}

struct Unfolded {
  std::string value;
  bool bare_cr = false;
  bool bare_lf = false;
  bool nul = false;
};

// Removes folding line breaks (keeping the blank that follows them) and the final line break;
// a bare CR or a NUL becomes a space so that no later writer can turn it into a line break.
Unfolded unfold(std::string_view raw_value) {
  Unfolded out;
  out.value.reserve(raw_value.size());
  for (std::size_t i = 0; i < raw_value.size(); ++i) {
    const char c = raw_value[i];
    if (c == '\r' && i + 1 < raw_value.size() && raw_value[i + 1] == '\n') continue;
    if (c == '\n') {
      if (i == 0 || raw_value[i - 1] != '\r') out.bare_lf = true;
      continue;
    }
    if (c == '\r') {
      out.bare_cr = true;
      out.value.push_back(' ');
    } else if (c == '\0') {
      out.nul = true;
      out.value.push_back(' ');
    } else {
      out.value.push_back(c);
    }
  }
  const auto first = out.value.find_first_not_of(" \t");
  const auto last = out.value.find_last_not_of(" \t");
  out.value = first == std::string::npos ? std::string() : out.value.substr(first, last - first + 1);
  return out;
}

std::vector<Field> collect_fields(std::string_view message, std::initializer_list<GMimeHeaderList*> lists) {
  std::vector<Field> fields;
  for (GMimeHeaderList* list : lists) {
    if (!list) continue;
    const int count = g_mime_header_list_get_count(list);
    for (int i = 0; i < count; ++i) {
      GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
      if (!header) continue;
      const char* raw_name = g_mime_header_get_raw_name(header);
      const char* name = g_mime_header_get_name(header);
      if (!raw_name || !name) continue;
      Field field;
      field.offset = g_mime_header_get_offset(header);
      field.name = name;
      if (auto raw = locate_field(message, field.offset, raw_name)) {
        field.raw = *raw;
        field.value_begin = std::strlen(raw_name) + 1;
      } else {
        // Not re-readable (GMime synthesised it, or the offset is off): GMime's copy it is.
        const char* value = g_mime_header_get_raw_value(header);
        field.fallback = std::string(raw_name) + ":" + (value ? value : "");
        field.value_begin = std::strlen(raw_name) + 1;
      }
      fields.push_back(std::move(field));
    }
  }
  // GMime splits one header block over the message and its body part; input order is offset order.
  std::stable_sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) {
    if (a.offset < 0 || b.offset < 0) return a.offset >= 0 && b.offset < 0;
    return a.offset < b.offset;
  });
  return fields;
}

std::string_view raw_of(const Field& field) {
  return field.fallback.empty() ? field.raw : std::string_view(field.fallback);
}

std::string where(const Node& node) { return "part " + node.path; }

}  // namespace

std::optional<Rejection> read_header_block(const HeaderBlockInput& input,
                                           std::initializer_list<GMimeHeaderList*> lists, Node& node) {
  std::vector<Field> fields = collect_fields(input.message, lists);
  const Limits& limits = input.limits;

  if (fields.size() > limits.max_header_fields)
    return Rejection{"limit.max-header-fields", where(node) + " has " + std::to_string(fields.size()) +
                                                    " header fields > limit " +
                                                    std::to_string(limits.max_header_fields)};

  // Measure everything before copying anything: a 10 MB field is refused, not unfolded.
  std::uint64_t block_bytes = 0;
  for (const Field& field : fields) {
    const std::string_view raw = raw_of(field);
    block_bytes += raw.size();
    std::uint64_t unfolded_bytes = raw.size();
    for (const char c : raw)
      if (c == '\n' || c == '\r') --unfolded_bytes;
    if (unfolded_bytes > limits.max_header_line_bytes)
      return Rejection{"limit.max-header-line-bytes", where(node) + " header field " +
                                                          printable_excerpt(field.name, 40) + " is " +
                                                          std::to_string(unfolded_bytes) + " bytes > limit " +
                                                          std::to_string(limits.max_header_line_bytes)};
  }
  if (block_bytes > limits.max_header_bytes)
    return Rejection{"limit.max-header-bytes", where(node) + " header is " + std::to_string(block_bytes) +
                                                   " bytes > limit " +
                                                   std::to_string(limits.max_header_bytes)};

  std::string bare_cr, bare_lf, nul;  // first field name with each problem
  std::size_t bare_cr_count = 0, bare_lf_count = 0, nul_count = 0;
  node.headers.reserve(node.headers.size() + fields.size());
  for (const Field& field : fields) {
    Unfolded unfolded = unfold(raw_of(field).substr(field.value_begin));
    if (unfolded.bare_cr && bare_cr_count++ == 0) bare_cr = field.name;
    if (unfolded.nul && nul_count++ == 0) nul = field.name;
    if (unfolded.bare_lf && input.crlf_message && bare_lf_count++ == 0) bare_lf = field.name;
    node.headers.push_back({field.name, std::move(unfolded.value)});
  }
  const auto note = [&](const char* code, std::size_t count, const std::string& first, const char* rule) {
    if (count == 0) return;
    node.repairs.push_back({code, std::to_string(count) + " header field(s), first " +
                                      printable_excerpt(first, 40) + ": " + rule});
  };
  note("mime.bare-cr-in-header", bare_cr_count, bare_cr, "bare CR replaced by a space");
  note("mime.nul-in-header", nul_count, nul, "NUL byte replaced by a space");
  note("mime.bare-lf-in-header", bare_lf_count, bare_lf, "bare LF in a CRLF message taken as a line end");
  return std::nullopt;
}

}  // namespace mugai::mime::detail
