// Turns the parser's events into readable text: paragraphs separated by blank lines, <br> as a
// line break, headings on their own lines, lists as "・ item" (numbered for <ol>, nested ones
// indented), tables one line per row with " | " between cells (layout tables with multi-line
// cells become plain blocks), <pre> verbatim, links as "text <URL>" (http, https, mailto and
// relative only), images as "[画像/image: alt]", nothing from script, style, head, title,
// noscript, template, iframe, object, embed, svg, math and similar. Active content is tallied
// on the way (ActiveContentTally).
// Bounds: at most 8 nested line prefixes and 4 nested tables are rendered as such (deeper ones
// flatten), and output beyond `output_budget` bytes stops the parse.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "html/active_content.h"
#include "html/html_events.h"
#include "html/text_builder.h"
#include "html/url_policy.h"

namespace mugai::sanitizers::html {

class TextRenderer final : public HtmlEvents {
 public:
  explicit TextRenderer(std::size_t output_budget);

  void start_element(std::string_view name, const Attributes& attributes) override;
  void end_element(std::string_view name) override;
  void text(std::string_view utf8) override;
  bool over_budget() const override;

  // The document text (ends with one newline unless empty). Call once, after parsing.
  std::string finish();
  const ActiveContentTally& tally() const { return tally_; }
  // Control characters dropped from flowing text (character references such as &#27;).
  std::size_t controls_dropped() const { return controls_dropped_; }

 private:
  enum class Role {
    phrase, hidden, line_block, paragraph, line_break, image, link, unordered_list, ordered_list, list_item,
    definition_list, definition, quote, preformatted, table, row, cell, ruby_text, rule
  };
  struct Open {
    Role role = Role::phrase;
    std::size_t builder = 0;  // builder current when the element opened
    bool hidden = false;
    bool prefix = false;
    bool cell = false;
    bool table = false;
    bool list = false;
    bool link = false;
    bool pre = false;
  };
  struct Table {
    std::size_t builder = 0;
    std::vector<std::string> cells;
  };
  struct List {
    bool ordered = false;
    long next = 1;
  };
  struct Link {
    UrlVerdict url;
    std::string text;  // what the link says, capped
  };

  static Role role_of(std::string_view name);
  TextBuilder& current() { return builders_.back(); }
  void open_element(Role role, const Attributes& attributes, Open& open);
  void close_element(const Open& open);
  void push_prefix(Open& open, std::string first, std::string rest);
  void emit_row();
  void close_link();

  std::size_t output_budget_;
  std::vector<TextBuilder> builders_;  // [0]: the document; one more per open table cell
  std::vector<Open> open_;
  std::vector<Table> tables_;
  std::vector<List> lists_;
  std::vector<Link> links_;
  std::size_t hidden_depth_ = 0;
  std::size_t pre_depth_ = 0;
  bool pre_just_opened_ = false;
  std::size_t prefix_depth_ = 0;
  ActiveContentTally tally_;
  std::size_t controls_dropped_ = 0;
};

}  // namespace mugai::sanitizers::html
