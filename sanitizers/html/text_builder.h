// Accumulates readable plain text from HTML content: collapses whitespace the way a browser
// does (a line break between two CJK characters is not a space, per CSS Text), turns block
// boundaries into line breaks without ever stacking more than two blank lines, and writes line
// prefixes (list bullets, "> " for quotes) at the start of every line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::sanitizers::html {

class TextBuilder {
 public:
  // Flowing text: runs of HTML whitespace (and U+00A0) become one space, none at line starts.
  void text(std::string_view utf8);
  // <pre> content: every space and line break kept.
  void preformatted(std::string_view utf8);
  // An unbreakable piece ("<https://...>", "[画像/image: x]"), preceded by a pending space.
  void token(std::string_view utf8);
  // Asks for a space before the next content (unless a line starts there).
  void space();
  void line_break();                // <br>: ends the line; repeated, leaves empty lines
  void block_boundary(int newlines);  // 1: content continues on a new line, 2: after a blank line
  // Prefix for the lines that follow: `first` on the first line written, `rest` on later ones.
  void push_prefix(std::string first, std::string rest);
  void pop_prefix();
  // Lines already formatted elsewhere (a table row, a cell's content), each with the prefix.
  void append_lines(std::string_view lines);

  std::size_t size() const { return out_.size(); }
  // Control characters text() dropped (they arrive through character references like &#27;).
  std::size_t controls_dropped() const { return controls_dropped_; }
  std::string_view since(std::size_t mark) const { return std::string_view(out_).substr(mark); }
  // The text with no leading blank lines and exactly one final newline (none if empty).
  std::string finish();
  // Same, without the final newline (cell content).
  std::string finish_trimmed();

 private:
  struct Prefix {
    std::string first;
    std::string rest;
    bool used = false;
    bool fresh = true;  // nothing written since it was pushed
  };
  void before_content(char32_t next);
  void append_content(std::string_view utf8);
  void request_newlines(int newlines, int cap);

  std::string out_;
  std::vector<Prefix> prefixes_;
  int pending_newlines_ = 0;
  bool pending_space_ = false;
  bool pending_space_only_breaks_ = true;  // the pending whitespace held nothing but line breaks
  bool at_line_start_ = true;
  char32_t last_ = 0;
  std::size_t controls_dropped_ = 0;
};

}  // namespace mugai::sanitizers::html
