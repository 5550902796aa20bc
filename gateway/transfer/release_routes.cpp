#include "release_routes.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>

#include "http_response.h"
#include "mugai/core/quarantine.h"

namespace mugai::transfer {
namespace {

constexpr std::size_t kMaxBodyBytes = 8192;

bool valid_user_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

void reply(ReleaseCall& call, const release::Answer& answer) {
  call.status = answer.status;
  nlohmann::json body = answer.body;
  if (!answer.ok()) {
    call.error = answer.code;
    body["error"] = answer.code;
  }
  body["code"] = answer.code;
  body["message"] = answer.message;
  send_json(call.response, answer.status, body);
}

void fail(ReleaseCall& call, int status, const std::string& code, const std::string& message) {
  call.status = status;
  call.error = code;
  send_error(call.response, status, code, message);
}

std::optional<nlohmann::json> read_json_body(ReleaseCall& call) {
  Poco::Net::HTTPServerRequest& request = call.request;
  if (!request.hasContentLength() || request.getContentLength64() > static_cast<Poco::Int64>(kMaxBodyBytes)) {
    fail(call, 400, "bad-request", "send a JSON object of at most 8 KiB");
    return std::nullopt;
  }
  std::string body(static_cast<std::size_t>(request.getContentLength64()), '\0');
  request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<std::size_t>(request.stream().gcount()));
  call.body_read = true;
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(call, 400, "bad-request", "send a JSON object");
    return std::nullopt;
  }
  return parsed;
}

std::string text_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string proxy_user(const core::ReleaseConfig& release, const Poco::Net::HTTPServerRequest& request,
                       const std::string& client) {
  if (!release.enabled || release.trusted_proxy_header.empty()) return "";
  const auto& proxies = release.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), client) == proxies.end()) return "";
  if (!request.has(release.trusted_proxy_header)) return "";
  const std::string name = request.get(release.trusted_proxy_header);
  return valid_user_name(name) ? name : "";
}

void handle_release(release::ReleaseService& service, ReleaseCall& call, const std::vector<std::string>& segments) {
  const release::Actor actor{call.user, call.via, call.client};
  // A session cookie or a proxy's header is ambient authority: state changes need the page's
  // own header too (a cross-site form cannot send it).
  if (call.method == "POST" && !call.from_page)
    return fail(call, 403, "csrf", "this request must come from the mugai page");
  if (segments.size() == 2 && segments[1] == "queue") {
    if (call.method != "GET") return fail(call, 405, "method", "use GET");
    return reply(call, service.queue(actor));
  }
  if (segments.size() < 3 || segments.size() > 4 || segments[1] != "items")
    return fail(call, 404, "not-found", "no such address");
  const std::string& id = segments[2];
  // Only 64 lower-case hex characters name an item: "../", "%2e%2e", NUL never reach a path.
  if (!core::Quarantine::is_valid_id(id)) return fail(call, 404, "not-found", "no such item");
  if (segments.size() == 3) {
    if (call.method != "GET") return fail(call, 405, "method", "use GET");
    return reply(call, service.view(actor, id));
  }
  if (call.method != "POST") return fail(call, 405, "method", "use POST");
  const std::string& action = segments[3];
  if (action == "request") return reply(call, service.request(actor, id));
  if (action != "password" && action != "decision") return fail(call, 404, "not-found", "no such address");
  const std::optional<nlohmann::json> body = read_json_body(call);
  if (!body) return;
  if (action == "password") return reply(call, service.submit_password(actor, id, text_field(*body, "password")));
  const std::string decision = text_field(*body, "decision");
  if (decision != "approve" && decision != "deny")
    return fail(call, 400, "bad-request", "decision is \"approve\" or \"deny\"");
  return reply(call, service.decide(actor, id, decision == "approve", text_field(*body, "token"),
                                    text_field(*body, "comment")));
}

}  // namespace mugai::transfer
