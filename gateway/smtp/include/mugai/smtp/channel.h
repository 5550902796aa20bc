// A connected socket, plain or TLS, where every read and write has a deadline. Non-blocking I/O
// with poll(): a peer that trickles one byte a minute (slowloris) or stops reading cannot hold a
// thread beyond the deadline, also inside a TLS record. An optional wake descriptor lets the
// server interrupt a waiting read at shutdown.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "mugai/smtp/tls.h"

typedef struct ssl_st SSL;

namespace mugai::smtp {

using Clock = std::chrono::steady_clock;

enum class IoStatus { ok, closed, timeout, error, woken };

class Channel {
 public:
  // Takes a connected socket. owns_fd: close it on destruction (the server's sockets belong to
  // Poco, the relay client's to us).
  Channel(int fd, bool owns_fd);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Connects to host:port (name or address) within the deadline; nullptr and `error` otherwise.
  static std::unique_ptr<Channel> connect(const std::string& host, int port, Clock::time_point deadline,
                                          std::string& error);

  // Up to `size` bytes into `buffer`; `got` set when ok. wake_fd >= 0: returns woken as soon as
  // that descriptor is readable and no data is pending.
  IoStatus read(char* buffer, std::size_t size, std::size_t& got, Clock::time_point deadline,
                int wake_fd = -1);
  IoStatus write_all(std::string_view bytes, Clock::time_point deadline);

  // Handshakes; false and `error` on failure (the connection is then unusable).
  bool start_tls_server(SSL_CTX* context, Clock::time_point deadline, std::string& error);
  bool start_tls_client(SSL_CTX* context, const std::string& host, Clock::time_point deadline,
                        std::string& error);
  bool tls() const { return ssl_ != nullptr; }
  std::string tls_version() const;
  std::string tls_cipher() const;
  int fd() const { return fd_; }

 private:
  IoStatus wait(short events, Clock::time_point deadline, int wake_fd);
  bool handshake(bool server, Clock::time_point deadline, std::string& error);

  int fd_;
  bool owns_fd_;
  SSL* ssl_ = nullptr;
};

}  // namespace mugai::smtp
