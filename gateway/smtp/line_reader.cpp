// Command and DATA framing; the rules are stated in line_reader.h and README.md.
#include "mugai/smtp/line_reader.h"

#include <algorithm>
#include <cstring>

#include "mugai/smtp/session_settings.h"

namespace mugai::smtp {

std::optional<CommandLine> CommandLineReader::take(std::string_view& input) {
  const std::size_t lf = input.find('\n');
  const std::string_view piece = input.substr(0, lf);  // npos: everything
  if (!discarding_) {
    // Line length = buffered + piece + LF; over kMaxLineOctets it is refused, and while its end
    // has not arrived nothing more is kept (a client cannot make us buffer a 1 GB "line").
    if (buffer_.size() + piece.size() >= kMaxLineOctets) {
      discarding_ = true;
      buffer_.clear();
      buffer_.shrink_to_fit();
    } else {
      buffer_.append(piece);
    }
  }
  if (lf == std::string_view::npos) {
    input = {};
    return std::nullopt;
  }
  input.remove_prefix(lf + 1);

  CommandLine line;
  if (discarding_) {
    discarding_ = false;
    line.status = CommandLine::Status::too_long;
    return line;
  }
  if (!buffer_.empty() && buffer_.back() == '\r') {
    buffer_.pop_back();
  } else {
    line.status = CommandLine::Status::bare_lf;
  }
  if (line.status == CommandLine::Status::ok && buffer_.find('\r') != std::string::npos)
    line.status = CommandLine::Status::bare_cr;
  if (line.status == CommandLine::Status::ok) line.text = std::move(buffer_);
  buffer_.clear();
  return line;
}

void CommandLineReader::clear() {
  buffer_.clear();
  discarding_ = false;
}

const char* next_line_break(const char* from, const char* end) {
  const auto* lf = static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(end - from)));
  if (lf == nullptr) lf = end;
  const auto* cr = static_cast<const char*>(std::memchr(from, '\r', static_cast<std::size_t>(lf - from)));
  return cr != nullptr ? cr : lf;
}

DataReader::DataReader(std::uint64_t max_bytes, std::uint64_t reserve_hint) : max_bytes_(max_bytes) {
  // Trust SIZE= only as far as our own limit: a client cannot make us allocate more.
  message_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(reserve_hint, max_bytes)));
}

void DataReader::emit(const char* bytes, std::size_t count) {
  line_octets_ += count;
  if (line_octets_ > kMaxLineOctets) long_line_ = true;
  size_ += count;
  if (oversize_) return;
  if (size_ > max_bytes_) {
    // Past the limit: free what we hold and keep only counting until the terminator, so an
    // oversize message costs no memory (552 is sent after the dot, RFC 5321 §4.5.3.1.10).
    oversize_ = true;
    std::string().swap(message_);
    return;
  }
  message_.append(bytes, count);
}

bool DataReader::take(std::string_view& input) {
  const char* p = input.data();
  const char* const end = p + input.size();
  while (p < end) {
    switch (state_) {
      case State::line_start:
        line_octets_ = 0;
        if (*p == '.') {
          state_ = State::line_start_dot;
          ++p;
        } else {
          state_ = State::mid;  // the same byte is read again as line content
        }
        break;
      case State::line_start_dot:
        if (*p == '\r') {
          state_ = State::line_start_dot_cr;
          ++p;
        } else {
          state_ = State::mid;  // the leading dot was stuffing (RFC 5321 §4.5.2): dropped
        }
        break;
      case State::line_start_dot_cr:
        if (*p == '\n') {
          ++p;
          input.remove_prefix(static_cast<std::size_t>(p - input.data()));
          return true;
        }
        bare_cr_ = true;
        emit("\r", 1);
        state_ = State::mid;
        break;
      case State::mid: {
        const char* run = p;
        p = next_line_break(p, end);
        if (p != run) emit(run, static_cast<std::size_t>(p - run));
        if (p == end) break;
        if (*p == '\r') {
          state_ = State::mid_cr;
        } else {
          bare_lf_ = true;  // a bare LF neither ends this line nor starts a new one
          emit("\n", 1);
        }
        ++p;
        break;
      }
      case State::mid_cr:
        if (*p == '\n') {
          emit("\r\n", 2);
          state_ = State::line_start;
          ++p;
          break;
        }
        bare_cr_ = true;
        emit("\r", 1);
        if (*p == '\r') {
          ++p;  // still directly after a CR
        } else {
          state_ = State::mid;
        }
        break;
    }
  }
  input = {};
  return false;
}

}  // namespace mugai::smtp
