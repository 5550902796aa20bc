#include "mugai/worker/frame.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace mugai::worker {
namespace {

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

// Reads exactly `size` bytes; waits with poll() so the deadline holds even if the peer stalls.
FrameStatus receive_all(int fd, char* data, std::size_t size,
                        std::optional<std::chrono::steady_clock::time_point> deadline) {
  while (size > 0) {
    int wait_ms = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline -
                                                                              std::chrono::steady_clock::now());
      if (left.count() <= 0) return FrameStatus::timeout;
      wait_ms = static_cast<int>(std::min<long long>(left.count() + 1, 60'000));
    }
    pollfd ready{fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, wait_ms);
    if (polled < 0) {
      if (errno == EINTR) continue;
      return FrameStatus::error;
    }
    if (polled == 0) continue;  // re-check the deadline
    const ssize_t got = ::recv(fd, data, size, 0);
    if (got == 0) return FrameStatus::closed;
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return errno == ECONNRESET ? FrameStatus::closed : FrameStatus::error;
    }
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return FrameStatus::ok;
}

}  // namespace

bool write_frame(int fd, std::string_view payload) {
  std::array<char, 8> header{};
  std::uint64_t length = payload.size();
  for (int i = 7; i >= 0; --i) {
    header[static_cast<std::size_t>(i)] = static_cast<char>(length & 0xff);
    length >>= 8;
  }
  return send_all(fd, header.data(), header.size()) && send_all(fd, payload.data(), payload.size());
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
