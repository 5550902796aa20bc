#include "mugai/worker/frame.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <vector>

namespace mugai::worker {
namespace {

// One sendmsg() for all pieces where the socket buffer allows: a job or an answer (two frames)
// wakes the peer once instead of four times.
bool send_all(int fd, std::vector<iovec> pieces) {
  std::size_t first = 0;
  while (first < pieces.size()) {
    msghdr message{};
    message.msg_iov = pieces.data() + first;
    message.msg_iovlen = pieces.size() - first;
    ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    while (first < pieces.size() && static_cast<std::size_t>(sent) >= pieces[first].iov_len) {
      sent -= static_cast<ssize_t>(pieces[first].iov_len);
      ++first;
    }
    if (first < pieces.size()) {
      pieces[first].iov_base = static_cast<char*>(pieces[first].iov_base) + sent;
      pieces[first].iov_len -= static_cast<std::size_t>(sent);
    }
  }
  return true;
}

// Reads exactly `size` bytes. Tries first and waits with poll() only when nothing is there, so
// the deadline holds even if the peer stalls.
FrameStatus receive_all(int fd, char* data, std::size_t size,
                        std::optional<std::chrono::steady_clock::time_point> deadline) {
  while (size > 0) {
    const ssize_t got = ::recv(fd, data, size, MSG_DONTWAIT);
    if (got > 0) {
      data += got;
      size -= static_cast<std::size_t>(got);
      continue;
    }
    if (got == 0) return FrameStatus::closed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return errno == ECONNRESET ? FrameStatus::closed : FrameStatus::error;
    int wait_ms = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline -
                                                                              std::chrono::steady_clock::now());
      if (left.count() <= 0) return FrameStatus::timeout;
      wait_ms = static_cast<int>(std::min<long long>(left.count() + 1, 60'000));
    }
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, wait_ms) < 0 && errno != EINTR) return FrameStatus::error;
  }
  return FrameStatus::ok;
}

std::array<char, 8> length_header(std::uint64_t length) {
  std::array<char, 8> header{};
  for (int i = 7; i >= 0; --i) {
    header[static_cast<std::size_t>(i)] = static_cast<char>(length & 0xff);
    length >>= 8;
  }
  return header;
}

iovec piece(const void* data, std::size_t size) { return iovec{const_cast<void*>(data), size}; }

}  // namespace

bool write_frame(int fd, std::string_view payload) {
  const std::array<char, 8> header = length_header(payload.size());
  return send_all(fd, {piece(header.data(), header.size()), piece(payload.data(), payload.size())});
}

bool write_frames(int fd, std::string_view first, std::string_view second) {
  const std::array<char, 8> first_header = length_header(first.size());
  const std::array<char, 8> second_header = length_header(second.size());
  return send_all(fd, {piece(first_header.data(), first_header.size()), piece(first.data(), first.size()),
                       piece(second_header.data(), second_header.size()), piece(second.data(), second.size())});
}

FrameStatus read_frame(int fd, std::string& payload, std::uint64_t max_bytes,
                       std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::array<char, 8> header{};
  if (const FrameStatus status = receive_all(fd, header.data(), header.size(), deadline);
      status != FrameStatus::ok)
    return status;
  std::uint64_t length = 0;
  for (const char byte : header) length = (length << 8) | static_cast<unsigned char>(byte);
  if (length > max_bytes) return FrameStatus::too_large;
  payload.assign(static_cast<std::size_t>(length), '\0');
  return receive_all(fd, payload.data(), payload.size(), deadline);
}

}  // namespace mugai::worker
