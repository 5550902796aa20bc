// parse_parameters: Content-Type / Content-Disposition values with RFC 2045 parameters, RFC 2231
// extended values and continuations, RFC 2047 words in quoted values, and raw 8-bit bytes.
// Threats: header bombs (kMaxParameters / kMaxContinuationSegments / kMaxProblems, each breach
// recorded, one linear pass over the value), continuations split inside a multi-byte character
// or an ISO-2022-JP escape (all segments are joined as bytes before any charset decoding),
// duplicate parameters used to show one file name to the scanner and another to the user (the
// first wins, recorded), raw Shift_JIS whose second byte is '\' (not an escape), and CR/LF/NUL
// smuggled through %0D%0A or =0D=0A (replaced by U+FFFD, recorded).
#include <algorithm>
#include <cctype>
#include <optional>

#include "mugai/charset/charset.h"
#include "mugai/charset/header_words.h"
#include "src/encoded_word.h"
#include "src/iso2022jp_decode.h"
#include "src/utf8.h"

namespace mugai::charset {
namespace {

class Problems {
 public:
  explicit Problems(std::vector<std::string>& list) : list_(list) {}
  void add(std::string problem) {
    if (list_.size() < kMaxProblems)
      list_.push_back(std::move(problem));
    else
      ++suppressed_;
  }
  void finish() {
    if (suppressed_ != 0)
      list_.push_back(std::to_string(suppressed_) + " further parameter problem(s) not listed");
  }

 private:
  std::vector<std::string>& list_;
  std::size_t suppressed_ = 0;
};

struct Segment {
  std::string bytes;  // unquoted, not yet percent-decoded
  bool encoded = false;
};

struct Parameter {
  std::optional<std::string> plain;         // name=
  std::optional<std::string> extended;      // name*=
  std::map<std::size_t, Segment> segments;  // name*N= and name*N*=
  bool extended_first = false;              // name*= came before any name*N
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// RFC 2045 token characters, plus '*' for RFC 2231 names; keeps map keys printable ASCII.
bool is_token(std::string_view name) {
  static constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c > 0x20 && c < 0x7F && kSpecials.find(c) == std::string_view::npos;
  });
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

bool is_sjis_lead(unsigned char c) { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC); }
bool is_sjis_trail(unsigned char c) { return (c >= 0x40 && c <= 0x7E) || (c >= 0x80 && c <= 0xFC); }

class Scanner {
 public:
  Scanner(std::string_view text, bool sjis_aware) : text_(text), sjis_aware_(sjis_aware) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void advance() { ++pos_; }

  // Whitespace and RFC 5322 comments, nested, with quoted-pairs; an unclosed one runs to the end.
  void skip_cfws() {
    while (!at_end()) {
      if (is_space(peek()))
        ++pos_;
      else if (peek() == '(')
        skip_comment();
      else
        break;
    }
  }

  // A quoted-string at pos_ ('"'); unescaped content. `closed` is false if it ran to the end.
  std::string read_quoted(bool& closed) {
    std::string out;
    closed = false;
    ++pos_;
    while (!at_end()) {
      const auto c = static_cast<unsigned char>(peek());
      if (sjis_aware_ && is_sjis_lead(c) && pos_ + 1 < text_.size() &&
          is_sjis_trail(static_cast<unsigned char>(text_[pos_ + 1]))) {
        out.append(text_.substr(pos_, 2));  // 表 is 0x95 0x5C: that '\' escapes nothing
        pos_ += 2;
      } else if (c == '\\' && pos_ + 1 < text_.size()) {
        out.push_back(text_[pos_ + 1]);
        pos_ += 2;
      } else if (c == '"') {
        ++pos_;
        closed = true;
        break;
      } else {
        out.push_back(static_cast<char>(c));
        ++pos_;
      }
    }
    return out;
  }

  // Raw text up to the next ';' outside quotes and comments; quotes and comments are dropped.
  // `junk` tells whether anything but blanks, comments and one quoted-string was there.
  std::string read_to_semicolon(bool& unclosed_quote) {
    std::string out;
    unclosed_quote = false;
    while (!at_end() && peek() != ';') {
      if (peek() == '"') {
        bool closed = false;
        out += read_quoted(closed);
        unclosed_quote = unclosed_quote || !closed;
      } else if (peek() == '(') {
        skip_comment();
      } else {
        out.push_back(peek());
        ++pos_;
      }
    }
    return out;
  }

  // A parameter name: up to '=', ';', a blank, a quote or a comment.
  std::string_view read_name() {
    const std::size_t begin = pos_;
    while (!at_end() && peek() != '=' && peek() != ';' && peek() != '"' && peek() != '(' && !is_space(peek()))
      ++pos_;
    return text_.substr(begin, pos_ - begin);
  }

  // A token value: everything to the next ';' (lenient: unquoted file names with spaces exist),
  // without a trailing "(comment)" when what precedes it is a single token.
  std::string read_token_value() {
    const std::size_t begin = pos_;
    while (!at_end() && peek() != ';') ++pos_;
    std::string_view value = trim(text_.substr(begin, pos_ - begin));
    if (!value.empty() && value.back() == ')') {
      const std::size_t open = value.rfind('(');
      if (open != std::string_view::npos && open > 0 && is_space(value[open - 1])) {
        const std::string_view head = trim(value.substr(0, open));
        if (std::none_of(head.begin(), head.end(), is_space)) value = head;
      }
    }
    return std::string(value);
  }

 private:
  void skip_comment() {
    std::size_t depth = 0;
    while (!at_end()) {
      const char c = peek();
      ++pos_;
      if (c == '\\')
        ++pos_;
      else if (c == '(')
        ++depth;
      else if (c == ')' && --depth == 0)
        return;
    }
    pos_ = std::min(pos_, text_.size());
  }

  std::string_view text_;
  bool sjis_aware_;
  std::size_t pos_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 2231 §4 %XX; a '%' without two hex digits is kept literally (and reported).
std::string percent_decode(std::string_view text, bool& malformed) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      if (text[i] == '%') malformed = true;
      out.push_back(text[i]);
    }
  }
  return out;
}

class ParameterDecoder {
 public:
  ParameterDecoder(std::string_view name, Problems& problems) : name_(name), problems_(problems) {}

  std::string decode(const Parameter& parameter) {
    std::string value;
    const bool use_extended = parameter.extended && (parameter.extended_first || parameter.segments.empty());
    if (parameter.extended && !parameter.segments.empty())
      report("both " + name_ + "*= and " + name_ + "*0= given; the first one is used");
    if (use_extended)
      value = decode_extended(*parameter.extended);
    else if (!parameter.segments.empty())
      value = decode_segments(parameter.segments);
    else
      value = decode_plain(*parameter.plain);
    if (detail::replace_controls(value) != 0) report("control characters in the value replaced");
    return value;
  }

 private:
  void report(const std::string& what) { problems_.add("parameter '" + name_ + "': " + what); }

  // "charset'language'rest" -> charset, rest. Without both quotes there is no charset.
  std::string_view split_charset(std::string_view raw, std::string& charset) {
    const std::size_t first = raw.find('\'');
    const std::size_t second = first == std::string_view::npos ? first : raw.find('\'', first + 1);
    if (second == std::string_view::npos) {
      report("RFC 2231 value without charset'language' prefix");
      return raw;
    }
    charset = std::string(raw.substr(0, first));
    return raw.substr(second + 1);
  }

  std::string percent(std::string_view text) {
    bool malformed = false;
    std::string bytes = percent_decode(text, malformed);
    if (malformed) report("malformed %-escape kept literally");
    return bytes;
  }

  std::string decode_bytes(std::string_view bytes, std::string_view charset) {
    const Decoded decoded = to_utf8(bytes, charset);
    if (!charset.empty() && !decoded.label_known) report("unknown charset '" + std::string(charset) + "'");
    if (decoded.label_overridden) report("bytes do not match charset '" + std::string(charset) + "'");
    if (decoded.invalid_sequences != 0)
      report(std::to_string(decoded.invalid_sequences) + " undecodable sequence(s)");
    return decoded.utf8;
  }

  std::string decode_extended(std::string_view raw) {
    std::string charset;
    const std::string_view rest = split_charset(raw, charset);
    return decode_bytes(percent(rest), charset);
  }

  // RFC 2231 §3-§4: segments in index order, raw bytes joined first, then one decode, so an
  // ISO-2022-JP escape or a UTF-8 character split across segments survives.
  std::string decode_segments(const std::map<std::size_t, Segment>& segments) {
    std::string charset;
    std::string bytes;
    std::size_t expected = 0;
    bool missing = false;
    bool any_encoded = false;
    for (const auto& [index, segment] : segments) {
      missing = missing || index != expected;
      expected = index + 1;
      if (!segment.encoded) {
        bytes += segment.bytes;
        continue;
      }
      any_encoded = true;
      std::string_view text = segment.bytes;
      if (index == 0) text = split_charset(text, charset);
      bytes += percent(text);
    }
    if (missing) report("continuation segment(s) missing; the others are joined");
    if (!any_encoded) return decode_plain(bytes);
    return decode_bytes(bytes, charset);
  }

  // A plain value: RFC 2047 words (Outlook, Becky!) and raw 8-bit bytes (old Japanese MUAs).
  std::string decode_plain(std::string_view raw) {
    if (detail::is_ascii(raw) && raw.find("=?") == std::string_view::npos && !detail::has_jis_escape(raw))
      return std::string(raw);
    if (!detail::is_ascii(raw) && !is_valid_utf8(raw)) report("raw 8-bit bytes decoded as " + detect(raw));
    return decode_header_text(raw);
  }

  std::string name_;
  Problems& problems_;
};

class ParameterCollector {
 public:
  explicit ParameterCollector(Problems& problems) : problems_(problems) {}

  void add(std::string_view raw_name, std::string value) {
    std::string name = lower_ascii(raw_name);
    const bool encoded = !name.empty() && name.back() == '*';
    if (encoded) name.pop_back();
    if (!is_token(name)) {
      problems_.add("malformed parameter name dropped");
      return;
    }
    std::optional<std::size_t> index;
    if (const std::size_t star = name.find('*'); star != std::string::npos) {
      const std::string_view digits = std::string_view(name).substr(star + 1);
      if (digits.empty() ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        problems_.add("malformed parameter name '" + std::string(raw_name.substr(0, 64)) + "' dropped");
        return;
      }
      // Anything with more digits than the bound needs is beyond the bound.
      index = digits.size() > 6 ? kMaxContinuationSegments : std::stoul(std::string(digits));
      name.resize(star);
    }
    if (name.empty()) {
      problems_.add("parameter without a name dropped");
      return;
    }
    Parameter* parameter = find_or_create(name);
    if (parameter == nullptr) return;
    if (index) {
      if (*index >= kMaxContinuationSegments) {
        ++dropped_segments_;
        return;
      }
      if (parameter->segments.contains(*index)) {
        duplicate(name + "*" + std::to_string(*index));
        return;
      }
      parameter->segments.emplace(*index, Segment{std::move(value), encoded});
    } else if (encoded) {
      if (parameter->extended) return duplicate(name + "*");
      parameter->extended = std::move(value);
      parameter->extended_first = parameter->segments.empty();
    } else {
      if (parameter->plain) return duplicate(name);
      parameter->plain = std::move(value);
    }
  }

  std::map<std::string, std::string, std::less<>> finish() {
    if (dropped_parameters_ != 0)
      problems_.add(std::to_string(dropped_parameters_) + " parameter(s) beyond the limit of " +
                    std::to_string(kMaxParameters) + " dropped");
    if (dropped_segments_ != 0)
      problems_.add(std::to_string(dropped_segments_) + " continuation segment(s) beyond the limit of " +
                    std::to_string(kMaxContinuationSegments) + " dropped");
    std::map<std::string, std::string, std::less<>> decoded;
    for (auto& [name, parameter] : parameters_)
      decoded.emplace(name, ParameterDecoder(name, problems_).decode(parameter));
    return decoded;
  }

 private:
  Parameter* find_or_create(const std::string& name) {
    if (auto found = parameters_.find(name); found != parameters_.end()) return &found->second;
    if (parameters_.size() >= kMaxParameters) {
      ++dropped_parameters_;
      return nullptr;
    }
    return &parameters_[name];
  }

  void duplicate(const std::string& what) {
    problems_.add("duplicate parameter '" + what + "': the first is kept");
  }

  Problems& problems_;
  std::map<std::string, Parameter> parameters_;
  std::size_t dropped_parameters_ = 0;
  std::size_t dropped_segments_ = 0;
};

}  // namespace

ParsedParameters parse_parameters(std::string_view raw_value) {
  ParsedParameters parsed;
  Problems problems(parsed.problems);
  // Raw Shift_JIS makes the quoted-string scanner pair lead and trail bytes; valid UTF-8 (or
  // ASCII) cannot contain Shift_JIS pairs, and reading it byte by byte is exact.
  Scanner scanner(raw_value, !is_valid_utf8(raw_value));

  bool unclosed = false;
  parsed.value = lower_ascii(trim(scanner.read_to_semicolon(unclosed)));
  if (unclosed) problems.add("unterminated quoted string in the value");
  if (!is_printable_ascii(parsed.value)) {
    // A media type or disposition is ASCII; anything else is decoded only to stay valid UTF-8.
    parsed.value = decode_header_text(parsed.value);
    problems.add("non-ASCII or control characters in the value");
  }

  ParameterCollector collector(problems);
  while (!scanner.at_end()) {
    scanner.advance();  // the ';'
    scanner.skip_cfws();
    if (scanner.at_end() || scanner.peek() == ';') continue;  // empty item: "a; ;b" or a trailing ';'
    const std::string_view name = scanner.read_name();
    scanner.skip_cfws();
    if (scanner.at_end() || scanner.peek() != '=') {
      const std::string junk = scanner.read_to_semicolon(unclosed);
      problems.add(name.empty()
                       ? "text without parameter name dropped"
                       : "parameter '" + lower_ascii(name.substr(0, 64)) + "' without value dropped");
      (void)junk;
      continue;
    }
    scanner.advance();  // the '='
    scanner.skip_cfws();
    std::string value;
    if (!scanner.at_end() && scanner.peek() == '"') {
      bool closed = false;
      value = scanner.read_quoted(closed);
      if (!closed)
        problems.add("parameter '" + lower_ascii(name.substr(0, 64)) + "': unterminated quoted string");
      const std::string trailing = scanner.read_to_semicolon(unclosed);
      if (!trim(trailing).empty())
        problems.add("parameter '" + lower_ascii(name.substr(0, 64)) +
                     "': text after the quoted value ignored");
    } else {
      value = scanner.read_token_value();
    }
    collector.add(name, std::move(value));
  }
  parsed.params = collector.finish();
  problems.finish();
  return parsed;
}

}  // namespace mugai::charset
