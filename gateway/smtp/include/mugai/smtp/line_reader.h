// Framing of the byte stream a client sends (RFC 5321 §2.3.8, §4.1.1.4, §4.5.2), the one place
// where line ends are decided. CRLF is the only line end that counts:
//  - commands: a bare LF still ends the line (so a LF-only client gets an answer instead of a
//    hang) but the line is refused; a CR not followed by LF makes the line refused too;
//  - DATA: only CRLF "." CRLF ends the message; a bare LF or bare CR never ends a line and never
//    starts one, so "\n.\n" or "\r.\r" cannot end DATA early (SMTP smuggling, 2023). The message
//    is flagged and refused after the real terminator.
// Neither reader buffers without bound: a command line over kMaxLineOctets is discarded up to its
// end; message content past the size limit is counted and dropped while scanning for the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::smtp {

struct CommandLine {
  enum class Status { ok, bare_lf, bare_cr, too_long };
  Status status = Status::ok;
  std::string text;  // without the line end; empty unless status is ok
};

class CommandLineReader {
 public:
  // Takes bytes from the front of `input` up to and including the next LF. Returns the line when
  // one ended (input then starts after it); otherwise buffers what it took (input becomes empty).
  std::optional<CommandLine> take(std::string_view& input);
  // STARTTLS: bytes received before the handshake are dropped, never read as commands in the
  // encrypted session (command injection, CVE-2011-0411).
  void clear();
  bool has_partial_line() const { return !buffer_.empty() || discarding_; }

 private:
  std::string buffer_;
  bool discarding_ = false;  // current line is too long: drop bytes until its LF
};

// The first CR or LF in [from, end), or end: a line's content in two memchr() scans.
const char* next_line_break(const char* from, const char* end);

class DataReader {
 public:
  // `max_bytes`: content (after dot-unstuffing, CRLFs included) kept; beyond it the message is
  // oversize and nothing more is stored. `reserve_hint`: SIZE= from MAIL, to allocate once.
  DataReader(std::uint64_t max_bytes, std::uint64_t reserve_hint);

  // Consumes bytes from `input`. Returns true when the terminating CRLF.CRLF has been consumed;
  // `input` then holds whatever followed it (pipelined commands).
  bool take(std::string_view& input);

  std::string& message() { return message_; }  // empty when oversize
  std::uint64_t size() const { return size_; }  // octets seen, also those dropped past the limit
  bool oversize() const { return oversize_; }
  bool bare_lf() const { return bare_lf_; }
  bool bare_cr() const { return bare_cr_; }
  bool long_line() const { return long_line_; }

 private:
  enum class State { line_start, line_start_dot, line_start_dot_cr, mid, mid_cr };
  void emit(const char* bytes, std::size_t count);

  std::uint64_t max_bytes_;
  std::string message_;
  std::uint64_t size_ = 0;
  std::size_t line_octets_ = 0;
  State state_ = State::line_start;
  bool oversize_ = false;
  bool bare_lf_ = false;
  bool bare_cr_ = false;
  bool long_line_ = false;
};

}  // namespace mugai::smtp
