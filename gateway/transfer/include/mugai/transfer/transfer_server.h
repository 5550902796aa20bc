// The file-transfer proxy (gateway/transfer/README.md): an Internet-side listener where staff
// send a file, and an LGWAN-side listener where they collect the sanitised result (or an outbox
// directory it is dropped into). Both HTTPS when a certificate and key are configured.
#pragma once

#include <memory>
#include <string>

namespace mugai::core {
struct Config;
class AuditLog;
}  // namespace mugai::core

namespace mugai::transfer {

class TransferServer {
 public:
  // Binds the listeners of config->transfer (which must be enabled). nullptr with `error` set
  // when a port cannot be bound, the TLS files cannot be loaded or a password hash is unusable.
  static std::unique_ptr<TransferServer> create(std::shared_ptr<const core::Config> config, core::AuditLog* audit,
                                                std::string& error);
  ~TransferServer();
  TransferServer(const TransferServer&) = delete;
  TransferServer& operator=(const TransferServer&) = delete;

  void start();
  void stop();               // stops accepting and waits for requests in flight
  int upload_port() const;   // bound port
  int download_port() const; // 0 when there is no download listener
  std::string scheme() const;  // "http" or "https"

 private:
  struct Impl;
  explicit TransferServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mugai::transfer
