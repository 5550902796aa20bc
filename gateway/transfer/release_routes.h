// The release pages' API (issue 9) on the Internet-side transfer listener:
//   GET  /api/v1/release/queue                    approver's queue (with one-time tokens)
//   GET  /api/v1/release/items/{id}               what was held, why, size, sender, SHA-256, state
//   POST /api/v1/release/items/{id}/request       ask for it
//   POST /api/v1/release/items/{id}/password      {"password": ...} (PPAP)
//   POST /api/v1/release/items/{id}/decision      {"decision": "approve"|"deny", "token", "comment"}
// IDs are 64 lower-case hex or 404. Users come from the transfer login (session or Basic) or, from
// configured proxy addresses only, the trusted reverse-proxy header.
#pragma once

#include <string>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/release/release_service.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace mugai::transfer {

struct ReleaseCall {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::string client;
  std::string method;
  std::string user;
  std::string via;        // "web" or "proxy"
  bool from_page = false;
  // Out, for the transfer audit line:
  int status = 0;
  std::string error;
  bool body_read = false;
};

// The user named by the trusted proxy header, or "" (not configured, not from a trusted proxy
// address, header absent or not a valid user name).
std::string proxy_user(const core::ReleaseConfig& release, const Poco::Net::HTTPServerRequest& request,
                       const std::string& client);

// segments: the path after /api/v1, split at '/', starting with "release".
void handle_release(release::ReleaseService& service, ReleaseCall& call, const std::vector<std::string>& segments);

}  // namespace mugai::transfer
