// decode_header_text / encode_header_text: RFC 2047 words in unstructured header values.
// Threats: words split mid-character by MUAs (adjacent same-charset words are joined as bytes
// before decoding), malformed words (kept literal, never guessed at), raw 8-bit and raw
// ISO-2022-JP text (decoded by detect()), decoded CR/LF/NUL (replaced: header injection), and
// size: one pass over the value, each byte examined a bounded number of times (1 MB in ms).
#include "mugai/charset/header_words.h"

#include <algorithm>
#include <vector>

#include "mugai/charset/charset.h"
#include "src/base64.h"
#include "src/encoded_word.h"
#include "src/iso2022jp_decode.h"
#include "src/labels.h"
#include "src/utf8.h"

namespace mugai::charset {
namespace {

// RFC 5322 §2.1.1 line length (with the field name) and RFC 2047 §2 encoded-word length.
constexpr std::size_t kMaxLineOctets = 78;
constexpr std::size_t kMaxEncodedWordLength = 75;
constexpr std::string_view kWordOpen = "=?UTF-8?B?";
constexpr std::string_view kWordClose = "?=";
constexpr std::string_view kFold = "\r\n ";

struct Piece {
  bool is_word = false;
  std::string bytes;        // literal text, or the word's decoded bytes
  std::string charset;      // words only, as written
  std::string charset_key;  // words only, normalised for "same charset" comparison
};

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string decode_literal(std::string_view text) {
  if (detail::is_ascii(text) && !detail::has_jis_escape(text)) return std::string(text);
  return to_utf8(text, "").utf8;  // UTF-8 if valid, else ISO-2022-JP / CP932 / EUC-JP by detect()
}

std::vector<Piece> split_pieces(std::string_view text) {
  std::vector<Piece> pieces;
  std::size_t literal_begin = 0;
  for (std::size_t pos = text.find("=?"); pos != std::string_view::npos; pos = text.find("=?", pos)) {
    auto word = detail::parse_encoded_word(text, pos);
    if (!word) {
      ++pos;
      continue;
    }
    if (pos > literal_begin)
      pieces.push_back({false, std::string(text.substr(literal_begin, pos - literal_begin)), {}, {}});
    std::string key = detail::normalize_label(word->charset);
    pieces.push_back({true, std::move(word->bytes), std::move(word->charset), std::move(key)});
    pos = literal_begin = word->end;
  }
  if (literal_begin < text.size()) pieces.push_back({false, std::string(text.substr(literal_begin)), {}, {}});
  return pieces;
}

// Drops blank literals between two words (RFC 2047 §6.2) and joins runs of words in the same
// charset into one piece, so that a character split across words decodes whole.
std::vector<Piece> join_adjacent_words(std::vector<Piece> pieces) {
  std::vector<Piece> joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    Piece& piece = pieces[i];
    if (!piece.is_word && is_blank(piece.bytes) && !joined.empty() && joined.back().is_word &&
        i + 1 < pieces.size() && pieces[i + 1].is_word)
      continue;
    if (piece.is_word && !joined.empty() && joined.back().is_word &&
        joined.back().charset_key == piece.charset_key) {
      joined.back().bytes += piece.bytes;
      continue;
    }
    joined.push_back(std::move(piece));
  }
  return joined;
}

std::string remove_line_breaks(std::string_view raw) {
  std::string unfolded;
  unfolded.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') unfolded.push_back(c);
  return unfolded;
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// Folds printable ASCII at single spaces; nullopt when some line cannot be made to fit or when
// folding would leave a blank line (leading, trailing or repeated spaces).
std::optional<std::string> fold_ascii(std::string_view text, std::size_t prefix) {
  if (prefix + text.size() <= kMaxLineOctets) return std::string(text);
  if (text.empty() || text.front() == ' ' || text.back() == ' ' || text.find("  ") != std::string_view::npos)
    return std::nullopt;
  std::string out;
  std::size_t line = prefix;
  std::size_t begin = 0;
  bool first = true;
  while (begin <= text.size()) {
    std::size_t end = text.find(' ', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(begin, end - begin);
    if (first) {
      out += token;
      line += token.size();
      first = false;
    } else if (line + 1 + token.size() <= kMaxLineOctets) {
      out.push_back(' ');
      out += token;
      line += 1 + token.size();
    } else {
      out += kFold;
      out += token;
      line = 1 + token.size();
    }
    if (line > kMaxLineOctets) return std::nullopt;
    begin = end + 1;
  }
  return out;
}

// Start of the UTF-8 character containing text[pos] (pos < size), for cutting words.
std::size_t character_boundary(std::string_view text, std::size_t pos) {
  while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

std::string encode_words(std::string_view text, std::size_t prefix) {
  // The smallest useful word carries 6 bytes (any UTF-8 character): 12 + 8 octets.
  constexpr std::size_t kOverhead = kWordOpen.size() + kWordClose.size();
  constexpr std::size_t kMinWord = kOverhead + 8;
  std::string out;
  std::size_t line = prefix;
  bool first = true;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t room = kMaxLineOctets - std::min(line, kMaxLineOctets);
    if (!first || room < kMinWord) {
      out += kFold;  // a very long field name: the value starts on a continuation line
      line = 1;
      room = kMaxLineOctets - 1;
    }
    const std::size_t word_length = std::min(room, kMaxEncodedWordLength);
    const std::size_t max_bytes = (word_length - kOverhead) / 4 * 3;
    std::size_t end = pos + max_bytes;
    if (end >= text.size())
      end = text.size();
    else
      end = character_boundary(text, end);
    const std::string word =
        std::string(kWordOpen) + detail::base64_encode(text.substr(pos, end - pos)) + std::string(kWordClose);
    out += word;
    line += word.size();
    first = false;
    pos = end;
  }
  return out;
}

}  // namespace

std::string decode_header_text(std::string_view raw_value) {
  // The blanks after the colon and around folds are syntax, not text.
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!raw_value.empty() && blank(raw_value.front())) raw_value.remove_prefix(1);
  while (!raw_value.empty() && blank(raw_value.back())) raw_value.remove_suffix(1);
  const std::string unfolded = remove_line_breaks(raw_value);
  std::string out;
  out.reserve(unfolded.size());
  for (Piece& piece : join_adjacent_words(split_pieces(unfolded))) {
    std::string text = piece.is_word ? to_utf8(piece.bytes, piece.charset).utf8 : decode_literal(piece.bytes);
    detail::replace_controls(text);
    out += text;
  }
  return out;
}

std::string encode_header_text(std::string_view utf8, std::string_view field_name) {
  const std::size_t prefix = field_name.size() + 2;  // "Name: "
  // A literal "=?" would be read back as an encoded word by the recipient: encode it instead.
  if (is_printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos)
    if (auto folded = fold_ascii(utf8, prefix)) return *folded;
  if (!is_valid_utf8(utf8)) return encode_words(to_utf8(utf8, "utf-8").utf8, prefix);
  return encode_words(utf8, prefix);
}

}  // namespace mugai::charset
