#include "html/text_renderer.h"

#include <array>
#include <charconv>
#include <utility>

namespace mugai::sanitizers::html {
namespace {

constexpr std::size_t kMaxPrefixes = 8;
constexpr std::size_t kMaxTables = 4;
constexpr std::size_t kMaxLinkText = 4096;

std::string_view attribute(const Attributes& attributes, std::string_view name) {
  for (const auto& [key, value] : attributes)
    if (key == name) return value;
  return {};
}

bool has_attribute(const Attributes& attributes, std::string_view name) {
  for (const auto& entry : attributes)
    if (entry.first == name) return true;
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Whitespace runs (also U+00A0) to one space, trimmed.
std::string collapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool nbsp = text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
    if (is_space(text[i]) || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

// Elements that are void in HTML5 but not to libxml2 2.9 (embed, source, track, param, ...) are
// phrases here: hiding them would hide everything libxml2 nests after them.
TextRenderer::Role TextRenderer::role_of(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Role>, 83> kRoles{{
      {"script", Role::hidden},        {"style", Role::hidden},         {"head", Role::hidden},
      {"title", Role::hidden},         {"noscript", Role::hidden},      {"template", Role::hidden},
      {"iframe", Role::hidden},        {"object", Role::hidden},        {"embed", Role::phrase},
      {"svg", Role::hidden},           {"math", Role::hidden},          {"frameset", Role::hidden},
      {"frame", Role::hidden},         {"applet", Role::hidden},        {"audio", Role::hidden},
      {"video", Role::hidden},         {"canvas", Role::hidden},        {"select", Role::hidden},
      {"datalist", Role::hidden},      {"rp", Role::hidden},            {"map", Role::phrase},
      {"param", Role::phrase},         {"source", Role::phrase},        {"track", Role::phrase},
      {"xml", Role::hidden},           {"meta", Role::phrase},          {"link", Role::phrase},
      {"base", Role::phrase},          {"p", Role::paragraph},          {"h1", Role::paragraph},
      {"h2", Role::paragraph},         {"h3", Role::paragraph},         {"h4", Role::paragraph},
      {"h5", Role::paragraph},         {"h6", Role::paragraph},         {"address", Role::paragraph},
      {"figure", Role::paragraph},     {"fieldset", Role::paragraph},   {"hr", Role::rule},
      {"div", Role::line_block},       {"section", Role::line_block},   {"article", Role::line_block},
      {"header", Role::line_block},    {"footer", Role::line_block},    {"nav", Role::line_block},
      {"main", Role::line_block},      {"aside", Role::line_block},     {"center", Role::line_block},
      {"form", Role::line_block},      {"caption", Role::line_block},   {"figcaption", Role::line_block},
      {"details", Role::line_block},   {"summary", Role::line_block},   {"legend", Role::line_block},
      {"option", Role::line_block},    {"noframes", Role::line_block},  {"body", Role::line_block},
      {"html", Role::line_block},      {"dt", Role::line_block},        {"hgroup", Role::line_block},
      {"br", Role::line_break},        {"img", Role::image},            {"a", Role::link},
      {"ul", Role::unordered_list},    {"menu", Role::unordered_list},  {"dir", Role::unordered_list},
      {"ol", Role::ordered_list},      {"li", Role::list_item},         {"dl", Role::definition_list},
      {"dd", Role::definition},        {"blockquote", Role::quote},     {"pre", Role::preformatted},
      {"textarea", Role::preformatted}, {"listing", Role::preformatted}, {"xmp", Role::preformatted},
      {"plaintext", Role::preformatted}, {"table", Role::table},        {"tr", Role::row},
      {"td", Role::cell},              {"th", Role::cell},              {"rt", Role::ruby_text},
      {"tbody", Role::phrase},         {"thead", Role::phrase},
  }};
  for (const auto& [element, role] : kRoles)
    if (element == name) return role;
  return Role::phrase;
}

TextRenderer::TextRenderer(std::size_t output_budget) : output_budget_(output_budget) { builders_.emplace_back(); }

bool TextRenderer::over_budget() const {
  std::size_t total = 0;
  for (const TextBuilder& builder : builders_) total += builder.size();
  for (const Table& table : tables_)
    for (const std::string& cell : table.cells) total += cell.size();
  return total > output_budget_;
}

void TextRenderer::push_prefix(Open& open, std::string first, std::string rest) {
  if (prefix_depth_ >= kMaxPrefixes) return;  // deeper nesting is rendered flat
  current().push_prefix(std::move(first), std::move(rest));
  ++prefix_depth_;
  open.prefix = true;
}

void TextRenderer::start_element(std::string_view name, const Attributes& attributes) {
  tally_.inspect(name, attributes);
  Open open;
  open.role = role_of(name);
  open.builder = builders_.size() - 1;
  if (hidden_depth_ > 0 || open.role == Role::hidden) {
    open.hidden = true;
    ++hidden_depth_;
  } else {
    open_element(open.role, attributes, open);
  }
  open_.push_back(open);
}

void TextRenderer::open_element(Role role, const Attributes& attributes, Open& open) {
  switch (role) {
    case Role::paragraph:
    case Role::rule:
      current().block_boundary(2);
      break;
    case Role::line_block:
    case Role::row:
      current().block_boundary(1);
      break;
    case Role::line_break:
      current().line_break();
      break;
    case Role::image: {
      const std::string alt = collapsed(attribute(attributes, "alt"));
      if (!alt.empty()) {
        current().token("[画像/image: " + alt + "]");
        if (!links_.empty() && links_.back().text.size() < kMaxLinkText) links_.back().text += " " + alt + " ";
      }
      break;
    }
    case Role::link:
      links_.push_back(Link{has_attribute(attributes, "href") ? classify_url(attribute(attributes, "href")) : UrlVerdict{}, {}});
      open.link = true;
      break;
    case Role::unordered_list:
    case Role::ordered_list:
    case Role::definition_list: {
      current().block_boundary(lists_.empty() ? 2 : 1);
      List list;
      list.ordered = role == Role::ordered_list;
      const std::string_view start = attribute(attributes, "start");
      long first = 1;
      if (!start.empty() && std::from_chars(start.data(), start.data() + start.size(), first).ec == std::errc() &&
          first >= 0 && first < 1'000'000'000)
        list.next = first;
      lists_.push_back(list);
      open.list = true;
      break;
    }
    case Role::list_item: {
      current().block_boundary(1);
      if (!lists_.empty() && lists_.back().ordered) {
        const std::string number = std::to_string(lists_.back().next++) + ". ";
        push_prefix(open, number, std::string(number.size(), ' '));
      } else {
        push_prefix(open, "・ ", "   ");
      }
      break;
    }
    case Role::definition:
      current().block_boundary(1);
      push_prefix(open, "   ", "   ");
      break;
    case Role::quote:
      current().block_boundary(2);
      push_prefix(open, "> ", "> ");
      break;
    case Role::preformatted:
      current().block_boundary(2);
      ++pre_depth_;
      pre_just_opened_ = true;
      open.pre = true;
      break;
    case Role::table:
      if (tables_.size() < kMaxTables) {
        current().block_boundary(2);
        tables_.push_back(Table{builders_.size() - 1, {}});
        open.table = true;
      } else {
        current().block_boundary(1);
      }
      break;
    case Role::cell:
      if (!tables_.empty() && tables_.back().builder == builders_.size() - 1) {
        builders_.emplace_back();
        open.cell = true;
      } else {
        current().block_boundary(1);
      }
      break;
    case Role::ruby_text:
      current().token("(");
      break;
    case Role::hidden:
    case Role::phrase:
      break;
  }
}

void TextRenderer::end_element(std::string_view) {
  if (open_.empty()) return;
  const Open open = open_.back();
  open_.pop_back();
  if (open.hidden) {
    --hidden_depth_;
    return;
  }
  close_element(open);
}

void TextRenderer::close_element(const Open& open) {
  if (open.prefix && open.builder < builders_.size()) {
    builders_[open.builder].pop_prefix();
    --prefix_depth_;
  }
  if (open.link) close_link();
  if (open.cell && builders_.size() > 1) {
    controls_dropped_ += builders_.back().controls_dropped();
    std::string cell = builders_.back().finish_trimmed();
    builders_.pop_back();
    if (!tables_.empty()) tables_.back().cells.push_back(std::move(cell));
  }
  if (open.pre) {
    --pre_depth_;
    pre_just_opened_ = false;
  }
  switch (open.role) {
    case Role::paragraph:
    case Role::rule:
    case Role::quote:
    case Role::preformatted:
      current().block_boundary(2);
      break;
    case Role::line_block:
    case Role::list_item:
    case Role::definition:
      current().block_boundary(1);
      break;
    case Role::row:
      if (!tables_.empty() && tables_.back().builder == builders_.size() - 1) emit_row();
      current().block_boundary(1);
      break;
    case Role::table:
      if (open.table) {
        emit_row();
        tables_.pop_back();
        current().block_boundary(2);
      } else {
        current().block_boundary(1);
      }
      break;
    case Role::unordered_list:
    case Role::ordered_list:
    case Role::definition_list:
      if (open.list && !lists_.empty()) lists_.pop_back();
      current().block_boundary(lists_.empty() ? 2 : 1);
      break;
    case Role::ruby_text:
      current().token(")");
      break;
    default:
      break;
  }
}

void TextRenderer::close_link() {
  if (links_.empty()) return;
  const Link link = std::move(links_.back());
  links_.pop_back();
  if (!is_shown(link.url.kind)) return;
  const std::string label = collapsed(link.text);
  if (label.empty()) {
    current().token("<" + link.url.display + ">");
    return;
  }
  if (label.size() < kMaxLinkText && text_matches_url(label, link.url.display)) return;
  current().space();
  current().token("<" + link.url.display + ">");
}

// One line per row, cells joined by " | "; a row whose cells hold several lines (a layout
// table) becomes one block per cell instead.
void TextRenderer::emit_row() {
  if (tables_.empty()) return;
  std::vector<std::string> cells = std::move(tables_.back().cells);
  tables_.back().cells.clear();
  std::vector<std::string> filled;
  bool multiline = false;
  for (std::string& cell : cells) {
    if (cell.empty()) continue;
    multiline = multiline || cell.find('\n') != std::string::npos;
    filled.push_back(std::move(cell));
  }
  if (filled.empty()) return;
  if (!multiline) {
    std::string line;
    for (std::size_t i = 0; i < filled.size(); ++i) {
      if (i > 0) line += " | ";
      line += filled[i];
    }
    current().block_boundary(1);
    current().append_lines(line);
    current().block_boundary(1);
    return;
  }
  for (const std::string& cell : filled) {
    current().block_boundary(2);
    current().append_lines(cell);
  }
  current().block_boundary(2);
}

void TextRenderer::text(std::string_view utf8) {
  if (hidden_depth_ > 0) return;
  if (!links_.empty() && links_.back().text.size() < kMaxLinkText) links_.back().text.append(utf8);
  if (pre_depth_ > 0) {
    // HTML drops one line break right after <pre>.
    if (pre_just_opened_ && utf8.starts_with('\n')) utf8.remove_prefix(1);
    pre_just_opened_ = false;
    current().preformatted(utf8);
    return;
  }
  current().text(utf8);
}

std::string TextRenderer::finish() {
  // A parse that stopped early can leave cells open: keep their text in order.
  while (builders_.size() > 1) {
    controls_dropped_ += builders_.back().controls_dropped();
    const std::string cell = builders_.back().finish_trimmed();
    builders_.pop_back();
    current().block_boundary(1);
    current().append_lines(cell);
  }
  controls_dropped_ += builders_.front().controls_dropped();
  return builders_.front().finish();
}

}  // namespace mugai::sanitizers::html
