// clamd INSTREAM client over a UNIX socket, with a deadline on every read and write so a stuck
// daemon costs one timeout, not a hung session. Threat: a scanner that silently passes content
// when it is down; here every failure is "unavailable" and the message is temp-failed.
#include "mugai/core/clamd_scanner.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace mugai::core {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMaxReplyBytes = 4096;

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

ScanVerdict unavailable(std::string detail) {
  ScanVerdict verdict;
  verdict.status = ScanVerdict::Status::unavailable;
  verdict.detail = std::move(detail);
  return verdict;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, remaining_ms(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool send_all(int fd, const char* data, std::size_t size, Clock::time_point deadline) {
  while (size > 0) {
    if (!wait_for(fd, POLLOUT, deadline)) return false;
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

}  // namespace

ScanVerdict ClamdScanner::scan(std::string_view bytes) const {
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds_);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof address.sun_path) return unavailable("clamd socket path too long");
  std::memcpy(address.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  Socket socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (socket.get() < 0) return unavailable(std::string("cannot create a socket: ") + std::strerror(errno));
  if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS && errno != EAGAIN)
      return unavailable("clamd unreachable at " + socket_path_ + ": " + std::strerror(errno));
    if (!wait_for(socket.get(), POLLOUT, deadline)) return unavailable("clamd did not accept the connection in time");
  }

  // "z" prefix: commands and replies end with NUL (clamd(8)).
  static constexpr char kCommand[] = "zINSTREAM";
  if (!send_all(socket.get(), kCommand, sizeof kCommand, deadline)) return unavailable("clamd: cannot send INSTREAM");
  for (std::size_t at = 0; at < bytes.size(); at += kChunkBytes) {
    const std::size_t length = std::min(kChunkBytes, bytes.size() - at);
    const std::uint32_t prefix = htonl(static_cast<std::uint32_t>(length));
    // clamd answers early (size limit) and closes: a failed send is then read as its answer.
    if (!send_all(socket.get(), reinterpret_cast<const char*>(&prefix), sizeof prefix, deadline) ||
        !send_all(socket.get(), bytes.data() + at, length, deadline))
      break;
  }
  const std::uint32_t end = 0;
  send_all(socket.get(), reinterpret_cast<const char*>(&end), sizeof end, deadline);

  std::string reply;
  char buffer[512];
  while (reply.find('\0') == std::string::npos && reply.size() < kMaxReplyBytes) {
    if (!wait_for(socket.get(), POLLIN, deadline)) return unavailable("clamd did not answer in time");
    const ssize_t got = ::recv(socket.get(), buffer, sizeof buffer, 0);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return unavailable(std::string("clamd: ") + std::strerror(errno));
    }
    if (got == 0) break;
    reply.append(buffer, static_cast<std::size_t>(got));
  }
  if (const std::size_t nul = reply.find('\0'); nul != std::string::npos) reply.resize(nul);
  while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r')) reply.pop_back();

  static constexpr std::string_view kOk = "stream: OK";
  static constexpr std::string_view kFound = " FOUND";
  static constexpr std::string_view kStream = "stream: ";
  if (reply == kOk) {
    ScanVerdict verdict;
    verdict.status = ScanVerdict::Status::clean;
    return verdict;
  }
  if (reply.starts_with(kStream) && reply.ends_with(kFound) && reply.size() > kStream.size() + kFound.size()) {
    ScanVerdict verdict;
    verdict.status = ScanVerdict::Status::infected;
    verdict.signature = reply.substr(kStream.size(), reply.size() - kStream.size() - kFound.size());
    return verdict;
  }
  // "INSTREAM size limit exceeded. ERROR", "... ERROR", or nothing: not a verdict.
  return unavailable("clamd answered '" + reply.substr(0, 200) + "'");
}

}  // namespace mugai::core
