#include "html/text_builder.h"

#include <algorithm>

#include "text/utf8_scan.h"

namespace mugai::sanitizers::html {
namespace {

using sanitizers::text::CodePoint;
using sanitizers::text::decode_at;
using sanitizers::text::is_east_asian_wide;

constexpr int kMaxMarkupNewlines = 3;  // at most two blank lines from markup (<br><br><br>...)

bool is_html_space(char32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0C || cp == 0xA0; }

char32_t first_code_point(std::string_view utf8) { return utf8.empty() ? 0 : decode_at(utf8, 0).value; }

char32_t last_code_point(std::string_view utf8) {
  std::size_t start = utf8.size();
  while (start > 0) {
    --start;
    if ((static_cast<unsigned char>(utf8[start]) & 0xC0) != 0x80) break;
  }
  return utf8.empty() ? 0 : decode_at(utf8, start).value;
}

}  // namespace

void TextBuilder::request_newlines(int newlines, int cap) {
  pending_newlines_ = std::min(std::max(pending_newlines_, 0) + newlines, cap);
}

void TextBuilder::before_content(char32_t next) {
  if (pending_newlines_ > 0 && !out_.empty()) {
    // Empty lines inside a quote keep its mark (">"), as mail readers expect.
    std::string empty_line_prefix;
    for (const Prefix& prefix : prefixes_)
      if (prefix.used) empty_line_prefix += prefix.rest;  // not before a quote's first line
    while (!empty_line_prefix.empty() && empty_line_prefix.back() == ' ') empty_line_prefix.pop_back();
    out_.push_back('\n');
    for (int i = 1; i < pending_newlines_; ++i) {
      out_ += empty_line_prefix;
      out_.push_back('\n');
    }
    at_line_start_ = true;
  }
  pending_newlines_ = 0;
  if (at_line_start_) {
    for (Prefix& prefix : prefixes_) {
      out_ += prefix.used ? prefix.rest : prefix.first;
      prefix.used = true;
    }
    at_line_start_ = false;
  } else if (pending_space_) {
    // CSS Text: a segment break between two East Asian wide characters disappears.
    const bool drop = pending_space_only_breaks_ && is_east_asian_wide(last_) && is_east_asian_wide(next);
    if (!drop) out_.push_back(' ');
  }
  for (Prefix& prefix : prefixes_) prefix.fresh = false;
  pending_space_ = false;
  pending_space_only_breaks_ = true;
}

void TextBuilder::append_content(std::string_view utf8) {
  if (utf8.empty()) return;
  before_content(first_code_point(utf8));
  out_.append(utf8);
  last_ = last_code_point(utf8);
}

void TextBuilder::text(std::string_view utf8) {
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const CodePoint cp = decode_at(utf8, pos);
    if (sanitizers::text::is_removed_control(cp.value)) {  // from &#27; and the like: not even a space
      ++controls_dropped_;
      pos += cp.length;
      continue;
    }
    if (is_html_space(cp.value)) {
      pending_space_ = true;
      if (cp.value != '\n' && cp.value != '\r') pending_space_only_breaks_ = false;
      pos += cp.length;
      continue;
    }
    std::size_t end = pos;
    while (end < utf8.size()) {
      const CodePoint next = decode_at(utf8, end);
      if (is_html_space(next.value) || sanitizers::text::is_removed_control(next.value)) break;
      end += next.length;
    }
    append_content(utf8.substr(pos, end - pos));
    pos = end;
  }
}

void TextBuilder::preformatted(std::string_view utf8) {
  std::size_t pos = 0;
  while (pos <= utf8.size()) {
    const std::size_t end = std::min(utf8.find('\n', pos), utf8.size());
    if (end > pos) append_content(utf8.substr(pos, end - pos));
    if (end == utf8.size()) break;
    ++pending_newlines_;  // the document's own line breaks: kept, not capped
    pending_space_ = false;
    pos = end + 1;
  }
}

void TextBuilder::token(std::string_view utf8) { append_content(utf8); }

void TextBuilder::space() {
  pending_space_ = true;
  pending_space_only_breaks_ = false;
}

void TextBuilder::line_break() {
  request_newlines(1, kMaxMarkupNewlines);
  pending_space_ = false;
}

void TextBuilder::block_boundary(int newlines) {
  if (!prefixes_.empty() && prefixes_.back().fresh && !prefixes_.back().used) return;  // "・ " waits for its text
  if (pending_newlines_ < newlines) pending_newlines_ = newlines;
  pending_space_ = false;
}

void TextBuilder::push_prefix(std::string first, std::string rest) {
  prefixes_.push_back(Prefix{std::move(first), std::move(rest)});
}

void TextBuilder::pop_prefix() {
  if (!prefixes_.empty()) prefixes_.pop_back();
}

void TextBuilder::append_lines(std::string_view lines) {
  std::size_t pos = 0;
  bool first = true;
  while (pos <= lines.size()) {
    const std::size_t end = std::min(lines.find('\n', pos), lines.size());
    if (!first) request_newlines(1, 1 << 20);
    first = false;
    if (end > pos) append_content(lines.substr(pos, end - pos));
    if (end == lines.size()) break;
    pos = end + 1;
  }
}

std::string TextBuilder::finish_trimmed() {
  std::string result = std::move(out_);
  out_.clear();
  while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) result.pop_back();
  std::size_t start = 0;
  while (start < result.size() && result[start] == '\n') ++start;
  return result.substr(start);
}

std::string TextBuilder::finish() {
  std::string result = finish_trimmed();
  if (!result.empty()) result.push_back('\n');
  return result;
}

}  // namespace mugai::sanitizers::html
