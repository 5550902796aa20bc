#include "html/markup_guard.h"

namespace mugai::sanitizers::html {
namespace {

// libxml2 2.9 reads tag and attribute names in chunks of this many bytes (HTML_PARSER_BUFFER_SIZE);
// a longer name becomes several attributes.
constexpr std::size_t kLibxmlNameChunk = 100;

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_start(char c) { return is_letter(c) || c == '_' || c == ':' || c == '.'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string unify_and_drop_controls(std::string_view in, std::size_t& dropped) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == '\r') {
      if (i + 1 < in.size() && in[i + 1] == '\n') continue;
      out.push_back('\n');
    } else if (c == 0x0C) {
      out.push_back(' ');  // HTML whitespace that libxml2 does not treat as such
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      ++dropped;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

class Guard {
 public:
  Guard(const std::string& in, std::size_t max_attributes) : in_(in), max_(max_attributes) { out_.reserve(in.size()); }

  GuardedMarkup run() {
    while (pos_ < in_.size()) {
      if (in_[pos_] == '<' && pos_ + 1 < in_.size() && is_letter(in_[pos_ + 1]))
        start_tag();
      else
        out_.push_back(in_[pos_++]);
    }
    return {std::move(out_), cut_tags_, 0};
  }

 private:
  bool at_tag_end() const {
    return pos_ >= in_.size() || in_[pos_] == '>' || (in_[pos_] == '/' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '>');
  }

  void emit(char c) {
    if (!cutting_) out_.push_back(c);
  }
  void emit_value_char(char c) {
    if (cutting_) return;
    if (c == '<')
      out_ += "&lt;";
    else
      out_.push_back(c);
  }

  // Counts one name of `length` bytes; the attribute that crosses the limit starts the cut.
  void count_name(std::size_t length) {
    attributes_ += (length + kLibxmlNameChunk - 1) / kLibxmlNameChunk;
    if (attributes_ > max_ && !cutting_) {
      cutting_ = true;
      ++cut_tags_;
    }
  }

  void start_tag() {
    out_.push_back(in_[pos_++]);  // '<'
    attributes_ = 0;
    cutting_ = false;
    const std::size_t name_start = pos_;
    while (pos_ < in_.size() && is_name_char(in_[pos_])) out_.push_back(in_[pos_++]);
    const std::size_t name_length = pos_ - name_start;
    if (name_length > kLibxmlNameChunk) count_name(name_length - kLibxmlNameChunk);
    while (!at_tag_end()) {
      const char c = in_[pos_];
      if (is_blank(c)) {
        emit(c);
        ++pos_;
      } else if (is_name_start(c)) {
        attribute();
      } else {
        // libxml2 drops a bogus run up to the next blank or the end of the tag.
        while (!at_tag_end() && !is_blank(in_[pos_])) emit(in_[pos_++]);
      }
    }
    cutting_ = false;
    if (pos_ >= in_.size()) return;
    if (in_[pos_] == '/') out_.push_back(in_[pos_++]);
    out_.push_back(in_[pos_++]);  // '>'
  }

  void attribute() {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && is_name_char(in_[pos_])) ++pos_;
    count_name(pos_ - start);
    if (!cutting_) out_.append(in_, start, pos_ - start);
    std::size_t look = pos_;
    while (look < in_.size() && is_blank(in_[look])) ++look;
    if (look >= in_.size() || in_[look] != '=') return;  // no value: the blanks are read as separators
    while (pos_ <= look) emit(in_[pos_++]);              // blanks and '='
    while (pos_ < in_.size() && is_blank(in_[pos_])) emit(in_[pos_++]);
    if (pos_ >= in_.size()) return;
    const char quote = in_[pos_];
    if (quote == '"' || quote == '\'') {
      emit(in_[pos_++]);
      while (pos_ < in_.size() && in_[pos_] != quote) emit_value_char(in_[pos_++]);
      if (pos_ < in_.size()) emit(in_[pos_++]);
      return;
    }
    while (pos_ < in_.size() && in_[pos_] != '>' && !is_blank(in_[pos_])) emit_value_char(in_[pos_++]);
  }

  const std::string& in_;
  const std::size_t max_;
  std::string out_;
  std::size_t pos_ = 0;
  std::size_t attributes_ = 0;
  bool cutting_ = false;
  std::size_t cut_tags_ = 0;
};

}  // namespace

GuardedMarkup guard_markup(std::string_view utf8, std::size_t max_attributes) {
  std::size_t dropped = 0;
  const std::string unified = unify_and_drop_controls(utf8, dropped);
  GuardedMarkup result = Guard(unified, max_attributes).run();
  result.controls_removed = dropped;
  return result;
}

}  // namespace mugai::sanitizers::html
