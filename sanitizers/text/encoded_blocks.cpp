#include "text/encoded_blocks.h"

#include <optional>
#include <string_view>

#include "text/utf8_scan.h"

namespace mugai::sanitizers::text {
namespace {

constexpr std::size_t kDeadlineStride = 4096;  // lines between deadline checks

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_right(std::string_view line) {
  while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
  return line;
}

struct Header {
  bool base64 = false;
  std::string filename;
};

// "begin" or "begin-base64", blanks, octal mode, blanks, name (rest of the line).
std::optional<Header> parse_header(std::string_view line) {
  Header header;
  if (line.starts_with("begin-base64")) {
    header.base64 = true;
    line.remove_prefix(12);
  } else if (line.starts_with("begin")) {
    line.remove_prefix(5);
  } else {
    return std::nullopt;
  }
  if (line.empty() || !is_blank(line.front())) return std::nullopt;
  while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '7') ++digits;
  if (digits == 0 || digits > 6) return std::nullopt;
  line.remove_prefix(digits);
  if (!line.empty() && !is_blank(line.front())) return std::nullopt;
  while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
  header.filename = std::string(trim_right(line));
  return header;
}

// A classic uuencode data line: length character, then characters 0x20..0x60, no longer than
// the length announces (plus slack for checksum characters some encoders add).
struct UuLine {
  bool valid = false;
  bool carries_data = false;  // announces bytes and holds enough characters for them
};

UuLine classify_uu_line(std::string_view line) {
  line = trim_right(line);
  if (line.empty()) return {true, false};
  for (char c : line)
    if (c < 0x20 || c > 0x60) return {};
  const std::size_t count = static_cast<std::size_t>((line[0] - 0x20) & 0x3F);
  const std::size_t full = 1 + (count + 2) / 3 * 4;
  if (line.size() > full + 2) return {};
  const std::size_t minimum = 1 + (count * 4 + 2) / 3;
  return {true, count > 0 && line.size() >= minimum};
}

void decode_uu_line(std::string_view line, std::string& out) {
  line = trim_right(line);
  if (line.empty()) return;
  const auto sextet = [&](std::size_t i) -> unsigned {
    return i < line.size() ? static_cast<unsigned>((line[i] - 0x20) & 0x3F) : 0U;
  };
  std::size_t count = sextet(0);
  for (std::size_t i = 1; count > 0; i += 4) {
    const unsigned group = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    for (int shift = 16; shift >= 0 && count > 0; shift -= 8, --count)
      out.push_back(static_cast<char>((group >> shift) & 0xFF));
  }
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_base64_line(std::string_view line) {
  line = trim_right(line);
  if (line.empty() || line == "====") return false;
  for (char c : line)
    if (base64_value(c) < 0 && c != '=') return false;
  return true;
}

struct Base64Decoder {
  unsigned bits = 0;
  int count = 0;
  void feed(std::string_view line, std::string& out) {
    for (char c : line) {
      const int value = base64_value(c);
      if (value < 0) continue;
      bits = (bits << 6) | static_cast<unsigned>(value);
      count += 6;
      if (count >= 8) {
        count -= 8;
        out.push_back(static_cast<char>((bits >> count) & 0xFF));
      }
    }
  }
};

// Name for people: no controls or bidi tricks, at most `max_chars` characters.
std::string displayable_name(const std::string& name, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t pos = 0; pos < name.size();) {
    const CodePoint cp = decode_at(name, pos);
    pos += cp.length;
    if (!cp.valid || is_removed_control(cp.value) || is_bidi_control(cp.value) || cp.value == '\t') continue;
    if (++chars > max_chars) {
      out += "…";
      break;
    }
    append_utf8(out, cp.value);
  }
  return out;
}

struct Line {
  std::size_t begin = 0;
  std::size_t end = 0;   // excluding the LF
  std::size_t next = 0;  // start of the following line
};

Line line_at(const std::string& text, std::size_t pos) {
  const std::size_t newline = text.find('\n', pos);
  if (newline == std::string::npos) return {pos, text.size(), text.size()};
  return {pos, newline, newline + 1};
}

}  // namespace

std::string block_placeholder(const std::string& filename, bool delivered, std::size_t max_name_chars) {
  std::string name = displayable_name(filename, max_name_chars);
  if (name.empty()) name = "(名前なし / no name)";
  if (delivered)
    return "[本文中の uuencode ファイル「" + name + "」は添付ファイルとして処理されます / uuencoded file \"" +
           name + "\" in the body is handled as an attachment]";
  return "[本文中の uuencode ファイル「" + name + "」は削除されました / uuencoded file \"" + name +
         "\" in the body was removed]";
}

BlockScan extract_encoded_blocks(std::string& text, std::size_t max_blocks, std::size_t max_name_chars,
                                 const Context& context) {
  BlockScan scan;
  std::string out;
  std::size_t copied_until = 0;  // text[copied_until, pos) is still to be copied
  std::size_t lines_seen = 0;
  const auto tick = [&] { return ++lines_seen % kDeadlineStride == 0 && context.expired(); };

  for (std::size_t pos = 0; pos < text.size();) {
    if (tick()) {
      scan = BlockScan{};
      scan.expired = true;
      return scan;
    }
    const Line header_line = line_at(text, pos);
    const auto header = parse_header(std::string_view(text).substr(pos, header_line.end - pos));
    if (!header) {
      pos = header_line.next;
      continue;
    }
    // Walk the data lines; the block is real if it ends properly or carries data.
    EncodedBlock block;
    block.filename = header->filename;
    block.base64 = header->base64;
    block.complete = false;
    bool evidence = false;
    std::size_t cursor = header_line.next;
    std::size_t block_end = header_line.next;  // first byte after the block
    Base64Decoder base64;
    while (cursor < text.size()) {
      if (tick()) {
        scan = BlockScan{};
        scan.expired = true;
        return scan;
      }
      const Line line = line_at(text, cursor);
      const std::string_view content = std::string_view(text).substr(line.begin, line.end - line.begin);
      if (!block.base64 && trim_right(content) == "end") {
        block.complete = true;
        block_end = line.next;
        break;
      }
      if (block.base64 && trim_right(content) == "====") {
        block.complete = true;
        block_end = line.next;
        break;
      }
      if (block.base64) {
        if (!is_base64_line(content)) break;
        base64.feed(content, block.bytes);
        evidence = evidence || trim_right(content).size() >= 4;
      } else {
        const UuLine kind = classify_uu_line(content);
        if (!kind.valid) break;
        decode_uu_line(content, block.bytes);
        evidence = evidence || kind.carries_data;
      }
      cursor = line.next;
      block_end = line.next;
    }
    if (!block.complete && !evidence) {
      pos = header_line.next;  // "begin 2 things" in prose: not a block
      continue;
    }
    out.append(text, copied_until, pos - copied_until);
    const bool delivered = scan.blocks.size() < max_blocks;
    out += block_placeholder(block.filename, delivered, max_name_chars);
    if (block_end < text.size() || text.back() == '\n') out += '\n';
    if (delivered)
      scan.blocks.push_back(std::move(block));
    else
      ++scan.dropped;
    pos = block_end;
    copied_until = block_end;
  }
  if (scan.blocks.empty() && scan.dropped == 0) return scan;
  out.append(text, copied_until, std::string::npos);
  text = std::move(out);
  return scan;
}

}  // namespace mugai::sanitizers::text
