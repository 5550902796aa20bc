// Deadline-bound socket I/O, plain and OpenSSL, over a non-blocking descriptor.
#include "mugai/smtp/channel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace mugai::smtp {
namespace {

void set_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<long long>(left.count() + 1, 24LL * 3600 * 1000));
}

bool is_ip_literal(const std::string& host) {
  in6_addr buffer{};
  return inet_pton(AF_INET, host.c_str(), &buffer) == 1 || inet_pton(AF_INET6, host.c_str(), &buffer) == 1;
}

std::string tls_error_text() {
  std::string text;
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text = buffer;
  }
  ERR_clear_error();  // the error queue is per thread: leave nothing for the next connection
  return text.empty() ? "handshake failed" : text;
}

}  // namespace

Channel::Channel(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  set_nonblocking(fd_);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // replies are small and awaited
}

Channel::~Channel() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);  // best effort, non-blocking: a close_notify if the socket takes it
    SSL_free(ssl_);
    ERR_clear_error();
  }
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

std::unique_ptr<Channel> Channel::connect(const std::string& host, int port, Clock::time_point deadline,
                                          std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int status = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (status != 0) {
    error = "cannot resolve " + host + ": " + gai_strerror(status);
    return nullptr;
  }
  error = "cannot connect to " + host + ":" + service;
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    const int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                            candidate->ai_protocol);
    if (fd < 0) continue;
    int result = ::connect(fd, candidate->ai_addr, candidate->ai_addrlen);
    if (result != 0 && errno == EINPROGRESS) {
      pollfd waiting{fd, POLLOUT, 0};
      result = -1;
      if (::poll(&waiting, 1, remaining_ms(deadline)) == 1) {
        int socket_error = 0;
        socklen_t length = sizeof socket_error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length) == 0 && socket_error == 0)
          result = 0;
        else
          error += std::string(": ") + std::strerror(socket_error);
      } else {
        error += ": timeout";
      }
    } else if (result != 0) {
      error += std::string(": ") + std::strerror(errno);
    }
    if (result == 0) {
      freeaddrinfo(found);
      error.clear();
      return std::make_unique<Channel>(fd, true);
    }
    ::close(fd);
    if (Clock::now() >= deadline) break;
  }
  freeaddrinfo(found);
  return nullptr;
}

IoStatus Channel::wait(short events, Clock::time_point deadline, int wake_fd) {
  for (;;) {
    const int timeout = remaining_ms(deadline);
    if (timeout == 0) return IoStatus::timeout;
    pollfd fds[2] = {{fd_, events, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return IoStatus::error;
    }
    if (ready == 0) return IoStatus::timeout;
    if (fds[0].revents != 0) return IoStatus::ok;  // readable, writable, or an error to collect
    if (wake_fd >= 0 && fds[1].revents != 0) return IoStatus::woken;
  }
}

IoStatus Channel::read(char* buffer, std::size_t size, std::size_t& got, Clock::time_point deadline,
                       int wake_fd) {
  got = 0;
  for (;;) {
    if (ssl_ != nullptr) {
      const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
      if (n > 0) {
        got = static_cast<std::size_t>(n);
        return IoStatus::ok;
      }
      const int code = SSL_get_error(ssl_, n);
      IoStatus status = IoStatus::error;
      if (code == SSL_ERROR_WANT_READ) status = wait(POLLIN, deadline, wake_fd);
      else if (code == SSL_ERROR_WANT_WRITE) status = wait(POLLOUT, deadline, wake_fd);
      else if (code == SSL_ERROR_ZERO_RETURN || (code == SSL_ERROR_SYSCALL && ERR_peek_error() == 0))
        status = IoStatus::closed;
      if (status != IoStatus::ok) {
        ERR_clear_error();
        return status;
      }
      continue;
    }
    const ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n > 0) {
      got = static_cast<std::size_t>(n);
      return IoStatus::ok;
    }
    if (n == 0) return IoStatus::closed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return errno == ECONNRESET ? IoStatus::closed : IoStatus::error;
    const IoStatus status = wait(POLLIN, deadline, wake_fd);
    if (status != IoStatus::ok) return status;
  }
}

IoStatus Channel::write_all(std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    if (ssl_ != nullptr) {
      const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20));
      const int n = SSL_write(ssl_, bytes.data(), chunk);
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      const int code = SSL_get_error(ssl_, n);
      IoStatus status = IoStatus::error;
      if (code == SSL_ERROR_WANT_WRITE) status = wait(POLLOUT, deadline, -1);
      else if (code == SSL_ERROR_WANT_READ) status = wait(POLLIN, deadline, -1);
      if (status != IoStatus::ok) {
        ERR_clear_error();
        return status;
      }
      continue;
    }
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return IoStatus::error;
    const IoStatus status = wait(POLLOUT, deadline, -1);
    if (status != IoStatus::ok) return status;
  }
  return IoStatus::ok;
}

bool Channel::handshake(bool server, Clock::time_point deadline, std::string& error) {
  for (;;) {
    const int result = server ? SSL_accept(ssl_) : SSL_connect(ssl_);
    if (result == 1) return true;
    const int code = SSL_get_error(ssl_, result);
    IoStatus status = IoStatus::error;
    if (code == SSL_ERROR_WANT_READ) status = wait(POLLIN, deadline, -1);
    else if (code == SSL_ERROR_WANT_WRITE) status = wait(POLLOUT, deadline, -1);
    if (status == IoStatus::ok) continue;
    if (status == IoStatus::timeout) {
      error = "TLS handshake timed out";
      ERR_clear_error();
    } else {
      error = tls_error_text();
      if (!server && SSL_get_verify_result(ssl_) != X509_V_OK)
        error += std::string(" (certificate: ") +
                 X509_verify_cert_error_string(SSL_get_verify_result(ssl_)) + ")";
    }
    SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }
}

bool Channel::start_tls_server(SSL_CTX* context, Clock::time_point deadline, std::string& error) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    error = tls_error_text();
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }
  return handshake(true, deadline, error);
}

bool Channel::start_tls_client(SSL_CTX* context, const std::string& host, Clock::time_point deadline,
                               std::string& error) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    error = tls_error_text();
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }
  // The certificate must name the downstream we meant to reach, not merely chain to a CA.
  if (is_ip_literal(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str());
  } else {
    SSL_set1_host(ssl_, host.c_str());
    SSL_set_tlsext_host_name(ssl_, host.c_str());
  }
  return handshake(false, deadline, error);
}

std::string Channel::tls_version() const { return ssl_ != nullptr ? SSL_get_version(ssl_) : ""; }

std::string Channel::tls_cipher() const {
  if (ssl_ == nullptr) return "";
  const char* name = SSL_get_cipher_name(ssl_);
  return name != nullptr ? name : "";
}

}  // namespace mugai::smtp
