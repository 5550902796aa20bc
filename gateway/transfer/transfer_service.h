// The request handling of the transfer listeners, independent of sockets and TLS: routing,
// authentication, the upload -> sanitise -> quarantine -> store/outbox path, and one audit line
// per request. Shared by both listeners; `Side` says which one a request arrived on.
#pragma once

#include <memory>
#include <string>

#include "auth.h"
#include "mugai/core/audit_log.h"
#include "mugai/core/config.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/release_service.h"  // release pages (issue 9)
#include "rate_limiter.h"
#include "transfer_store.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace mugai::transfer {

enum class Side { upload, download };  // Internet side, LGWAN side
std::string_view to_string(Side side);

class TransferService {
 public:
  // Throws std::runtime_error when a user's hash cannot be decoded or state_dir cannot be made.
  TransferService(std::shared_ptr<const core::Config> config, core::AuditLog* audit);

  void handle(Side side, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

 private:
  struct Exchange;  // one request in flight: what is known so far, for the answer and the audit line

  void route(Exchange& exchange);
  const User* authenticate(Exchange& exchange);
  void serve_asset(Exchange& exchange);
  void info(Exchange& exchange);
  void login(Exchange& exchange);
  void logout(Exchange& exchange);
  void upload(Exchange& exchange, const User& user);
  void list(Exchange& exchange, const User& user);
  void status(Exchange& exchange, const User& user, const std::string& id);
  void download(Exchange& exchange, const User& user, const std::string& id);
  void audit(const Exchange& exchange);
  void release(Exchange& exchange, const std::vector<std::string>& segments);  // release_routes.cpp glue

  std::shared_ptr<const core::Config> config_;
  core::AuditLog* audit_;
  Authenticator auth_;
  RateLimiter uploads_;
  TransferStore store_;
  core::Quarantine quarantine_;
  bool https_;
  std::unique_ptr<release::ReleaseService> release_;  // release pages (issue 9); null when disabled
};

}  // namespace mugai::transfer
