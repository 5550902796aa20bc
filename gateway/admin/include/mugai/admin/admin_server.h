// The admin HTTP listener: GET /healthz and GET /metrics, bound to loopback by default. It
// serves nothing else (no content, no control), so exposing it by mistake leaks only counters.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "mugai/admin/metrics.h"

namespace Poco::Net {
class HTTPServer;
}

namespace mugai::admin {

class AdminServer {
 public:
  // `healthy` is asked on each /healthz; false answers 503 with the reason it returned.
  using HealthCheck = std::function<bool(std::string& reason)>;

  AdminServer(const std::string& address, int port, const Metrics& metrics, HealthCheck healthy);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  int port() const;  // the bound port (useful when configured as an ephemeral port)

 private:
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mugai::admin
