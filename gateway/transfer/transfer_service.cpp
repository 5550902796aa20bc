#include "transfer_service.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <variant>

#include "http_response.h"
#include "release_routes.h"
#include "sanitise_upload.h"
#include "upload_reader.h"
#include "web_assets.h"

namespace mugai::transfer {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::size_t kMaxLoginBodyBytes = 4096;
constexpr std::size_t kMaxListed = 100;
constexpr std::string_view kApi = "/api/v1";
// Sent by the page with every API call. A cross-site form cannot set it, so a session cookie
// alone never authorises a state-changing request (CSRF); it also tells us not to answer 401
// with a Basic challenge that would pop up the browser's own password dialog.
constexpr std::string_view kPageHeader = "X-Mugai-Request";

std::string now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

std::string cookie_name(Side side) { return side == Side::upload ? "mugai_upload" : "mugai_download"; }

nlohmann::json report_object(const std::string& report_json) {
  try {
    return nlohmann::json::parse(report_json);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::string_view to_string(Side side) { return side == Side::upload ? "upload" : "download"; }

struct TransferService::Exchange {
  Exchange(Side on, HTTPServerRequest& in, HTTPServerResponse& out) : side(on), request(in), response(out) {}
  Side side;
  HTTPServerRequest& request;
  HTTPServerResponse& response;
  std::string client;
  std::string method;
  std::string path;  // decoded
  bool from_page = false;
  bool has_body = false;
  bool body_read = false;
  int status = 0;
  std::string user;
  std::string error;
  std::string transfer_id;
  std::string verdict;
  std::string profile;
  std::string sha256;  // of the original upload
  std::uint64_t bytes = 0;

  void reply(int code, const nlohmann::json& body) {
    status = code;
    send_json(response, code, body);
  }
  void fail(int code, std::string_view error_code, std::string_view message) {
    status = code;
    error = error_code;
    send_error(response, code, error_code, message);
  }
};

TransferService::TransferService(std::shared_ptr<const core::Config> config, core::AuditLog* audit)
    : config_(std::move(config)),
      audit_(audit),
      auth_(config_->transfer.users, config_->transfer.auth_failures_per_minute, config_->transfer.session_minutes),
      uploads_(config_->transfer.uploads_per_minute),
      store_(config_->transfer.state_dir, config_->transfer.keep_hours),
      quarantine_(config_->quarantine_dir),
      https_(!config_->transfer.tls_certificate_file.empty()) {
  store_.purge_expired(true);
  if (config_->release.enabled) release_ = std::make_unique<release::ReleaseService>(config_, audit_);
}

void TransferService::handle(Side side, HTTPServerRequest& request, HTTPServerResponse& response) {
  Exchange exchange(side, request, response);
  exchange.client = request.clientAddress().host().toString();
  exchange.method = request.getMethod();
  exchange.from_page = request.has(std::string(kPageHeader));
  try {
    exchange.has_body = request.getChunkedTransferEncoding() || (request.hasContentLength() && request.getContentLength64() > 0);
    // A request whose body we may not read to the end must not leave the rest as the "next request".
    if (exchange.has_body) response.setKeepAlive(false);
    exchange.path = Poco::URI(request.getURI()).getPath();
    route(exchange);
  } catch (const Poco::SyntaxException&) {
    if (!response.sent()) exchange.fail(400, "bad-request", "the request is malformed");
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: transfer: " << error.what() << "\n";
    if (!response.sent()) exchange.fail(500, "internal", "the server could not complete the request; try again later");
  }
  audit(exchange);
  if (exchange.has_body && !exchange.body_read) linger_and_close(request);
}

void TransferService::route(Exchange& exchange) {
  const std::string& path = exchange.path;
  const std::string& method = exchange.method;
  if (!path.starts_with(std::string(kApi) + "/")) {
    if (method != "GET") return exchange.fail(405, "method", "only GET is allowed here");
    return serve_asset(exchange);
  }
  const std::vector<std::string> segments = split_path(path.substr(kApi.size()));
  if (segments.size() == 1 && segments[0] == "info" && method == "GET") return info(exchange);
  if (segments.size() == 1 && segments[0] == "session") {
    if (method == "POST") return login(exchange);
    if (method == "DELETE") return logout(exchange);
    return exchange.fail(405, "method", "use POST to log in and DELETE to log out");
  }
  if (!segments.empty() && segments[0] == "release") return release(exchange, segments);  // issue 9
  if (segments.empty() || segments[0] != "transfers" || segments.size() > 3)
    return exchange.fail(404, "not-found", "no such address");
  if (segments.size() >= 2 && !TransferStore::is_valid_id(segments[1])) {
    // Only 32 hex characters ever name a transfer: "../", "%2e%2e", NUL never reach the store.
    return exchange.fail(404, "not-found", "no such transfer");
  }
  if (segments.size() == 3 && segments[2] != "file") return exchange.fail(404, "not-found", "no such address");

  const User* user = authenticate(exchange);
  if (!user) return;
  if (segments.size() == 1) {
    if (method == "POST") return upload(exchange, *user);
    if (method == "GET") return list(exchange, *user);
    return exchange.fail(405, "method", "use POST to send a file, GET to list your transfers");
  }
  exchange.transfer_id = segments[1];
  if (method != "GET") return exchange.fail(405, "method", "only GET is allowed here");
  if (segments.size() == 2) return status(exchange, *user, segments[1]);
  return download(exchange, *user, segments[1]);
}

const User* TransferService::authenticate(Exchange& exchange) {
  HTTPServerRequest& request = exchange.request;
  if (request.has("Authorization")) {
    const AuthResult result = auth_.check_basic(request.get("Authorization"), exchange.client);
    exchange.user = result.claimed_name;
    if (result.status == AuthStatus::ok) return result.user;
    if (result.status == AuthStatus::throttled) {
      exchange.response.set("Retry-After", std::to_string(result.retry_after));
      exchange.fail(429, "too-many-failures", "too many failed logins; wait a minute and try again");
      return nullptr;
    }
    if (!exchange.from_page) exchange.response.set("WWW-Authenticate", "Basic realm=\"mugai\", charset=\"UTF-8\"");
    exchange.fail(401, "wrong-credentials", "wrong user name or password");
    return nullptr;
  }
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  const std::string token = cookies.get(cookie_name(exchange.side), "");
  if (!token.empty()) {
    if (const User* user = auth_.session_user(token, std::string(to_string(exchange.side)))) {
      exchange.user = user->name;
      if (exchange.method != "GET" && !exchange.from_page) {
        exchange.fail(403, "csrf", "this request must come from the mugai page");
        return nullptr;
      }
      return user;
    }
  }
  if (!exchange.from_page) exchange.response.set("WWW-Authenticate", "Basic realm=\"mugai\", charset=\"UTF-8\"");
  exchange.fail(401, "login-required", token.empty() ? "log in first" : "your session has expired; log in again");
  return nullptr;
}

void TransferService::serve_asset(Exchange& exchange) {
  const WebAsset* asset = find_web_asset(exchange.path);
  if (!asset) return exchange.fail(404, "not-found", "no such page");
  exchange.status = 200;
  send_bytes(exchange.response, 200, asset->content_type, asset->body);
}

void TransferService::info(Exchange& exchange) {
  const core::TransferConfig& transfer = config_->transfer;
  nlohmann::json body = {{"side", to_string(exchange.side)},
                         {"https", https_},
                         {"max_upload_bytes", transfer.max_upload_bytes},
                         {"download_listener", transfer.download_port != 0},
                         {"outbox", !transfer.outbox_dir.empty()},
                         {"user", nullptr},
                         {"profiles", nlohmann::json::array()}};
  Poco::Net::NameValueCollection cookies;
  exchange.request.getCookies(cookies);
  if (const User* user = auth_.session_user(cookies.get(cookie_name(exchange.side), ""),
                                            std::string(to_string(exchange.side)))) {
    exchange.user = user->name;
    body["user"] = user->name;
    body["profiles"] = user->profiles;
  }
  // --- release pages (issue 9) ---
  body["release"] = static_cast<bool>(release_);
  if (release_ && body["user"].is_null()) {
    const std::string proxied = proxy_user(config_->release, exchange.request, exchange.client);
    if (!proxied.empty()) body["user"] = exchange.user = proxied;
    body["proxy_login"] = !proxied.empty();
  }
  if (release_ && body["user"].is_string())
    body["release_approver"] = release_->is_admin(body["user"].get<std::string>()) ||
                               std::any_of(config_->release.staff.begin(), config_->release.staff.end(),
                                           [&](const core::ReleaseStaff& staff) { return staff.superior == body["user"]; });
  // --- end release pages ---
  exchange.reply(200, body);
}

void TransferService::login(Exchange& exchange) {
  HTTPServerRequest& request = exchange.request;
  if (!exchange.from_page) return exchange.fail(403, "csrf", "this request must come from the mugai page");
  if (!request.hasContentLength() || request.getContentLength64() > static_cast<Poco::Int64>(kMaxLoginBodyBytes))
    return exchange.fail(400, "bad-login", "send {\"user\": ..., \"password\": ...} as JSON (at most 4 KiB)");
  std::string body(static_cast<std::size_t>(request.getContentLength64()), '\0');
  request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<std::size_t>(request.stream().gcount()));
  exchange.body_read = true;
  std::string name, password;
  try {
    const nlohmann::json json = nlohmann::json::parse(body);
    name = json.at("user").get<std::string>();
    password = json.at("password").get<std::string>();
  } catch (const std::exception&) {
    return exchange.fail(400, "bad-login", "send {\"user\": ..., \"password\": ...} as JSON");
  }
  const AuthResult result = auth_.check_password(name, password, exchange.client);
  exchange.user = result.claimed_name;
  if (result.status == AuthStatus::throttled) {
    exchange.response.set("Retry-After", std::to_string(result.retry_after));
    return exchange.fail(429, "too-many-failures", "too many failed logins; wait a minute and try again");
  }
  if (result.status != AuthStatus::ok) return exchange.fail(401, "wrong-credentials", "wrong user name or password");
  Poco::Net::HTTPCookie cookie(cookie_name(exchange.side), auth_.open_session(*result.user, std::string(to_string(exchange.side))));
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSecure(https_);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  cookie.setMaxAge(config_->transfer.session_minutes * 60);
  exchange.response.addCookie(cookie);
  exchange.reply(200, {{"user", result.user->name}, {"profiles", result.user->profiles}});
}

void TransferService::logout(Exchange& exchange) {
  Poco::Net::NameValueCollection cookies;
  exchange.request.getCookies(cookies);
  auth_.close_session(cookies.get(cookie_name(exchange.side), ""));
  Poco::Net::HTTPCookie cookie(cookie_name(exchange.side), "");
  cookie.setPath("/");
  cookie.setMaxAge(0);
  exchange.response.addCookie(cookie);
  exchange.reply(200, {{"user", nullptr}});
}

namespace {

nlohmann::json transfer_json(const TransferRecord& record, bool download_listener) {
  nlohmann::json body = {{"id", record.id},
                         {"status", "done"},
                         {"created_at", record.created_at},
                         {"verdict", record.verdict},
                         {"profile", record.profile},
                         {"filename", record.filename},
                         {"output_filename", record.output_filename},
                         {"size", record.size},
                         {"outbox", !record.outbox_path.empty()},
                         {"download", nullptr},
                         {"report", report_object(record.report_json)}};
  if (record.verdict == "delivered" && download_listener)
    body["download"] = std::string(kApi) + "/transfers/" + record.id + "/file";
  return body;
}

}  // namespace

void TransferService::upload(Exchange& exchange, const User& user) {
  const core::TransferConfig& transfer = config_->transfer;
  if (exchange.side != Side::upload)
    return exchange.fail(403, "wrong-side", "files are sent on the Internet-side address, not here");
  if (!uploads_.allow(user.name)) {
    exchange.response.set("Retry-After", std::to_string(uploads_.retry_after_seconds(user.name)));
    return exchange.fail(429, "too-many-uploads",
                         "too many uploads (at most " + std::to_string(transfer.uploads_per_minute) +
                             " a minute); wait a little and try again");
  }
  std::variant<Upload, UploadError> read = read_upload(exchange.request, transfer.max_upload_bytes);
  if (auto* error = std::get_if<UploadError>(&read)) {
    exchange.body_read = !error->body_left_unread;
    return exchange.fail(error->status, error->code, error->message);
  }
  exchange.body_read = true;
  Upload& upload = std::get<Upload>(read);
  exchange.bytes = upload.body_bytes;

  std::string profile_name = user.profiles.front();
  if (!upload.requested_profile.empty()) {
    if (std::find(user.profiles.begin(), user.profiles.end(), upload.requested_profile) == user.profiles.end())
      return exchange.fail(403, "profile-not-allowed",
                           "you may not use the profile '" + printable(upload.requested_profile, 64) + "'");
    profile_name = upload.requested_profile;
  }
  exchange.profile = profile_name;
  const core::Profile& profile = config_->profiles.find(profile_name)->second;

  const core::Result result = sanitise_upload(*config_, profile, upload.bytes, upload.untrusted_filename);
  const std::string report_json = result.report.to_json();

  // The original stays on the Internet side; without it nothing crosses (an admin could not
  // answer for what was handed over).
  core::QuarantineEntry entry;
  entry.kind = "file";
  entry.sender = "transfer:" + user.name;
  entry.subject = upload.untrusted_filename;
  entry.profile = profile_name;
  entry.verdict = result.report.verdict;
  entry.report_json = report_json;
  try {
    quarantine_.store(upload.bytes, entry);
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: transfer: quarantine failed: " << error.what() << "\n";
    return exchange.fail(503, "quarantine-unavailable", "the original could not be kept; nothing was transferred. Try again later");
  }

  TransferRecord record;
  record.id = TransferStore::new_id();
  record.owner = user.name;
  record.created_at = now_iso8601();
  record.profile = profile_name;
  record.verdict = result.report.verdict;
  record.filename = upload.untrusted_filename;
  record.output_filename = result.delivered ? result.output_filename : "";
  record.size = upload.bytes.size();
  record.report_json = report_json;
  if (result.delivered && !transfer.outbox_dir.empty())
    record.outbox_path = drop_into_outbox(transfer.outbox_dir, user.name, record.id, result.output_filename, result.output);
  store_.save(record, result.delivered && transfer.download_port != 0 ? &result.output : nullptr);
  store_.purge_expired();

  exchange.transfer_id = record.id;
  exchange.verdict = record.verdict;
  exchange.sha256 = result.report.sha256_before;
  exchange.response.set("Location", std::string(kApi) + "/transfers/" + record.id);
  exchange.reply(201, transfer_json(record, transfer.download_port != 0));
}

void TransferService::list(Exchange& exchange, const User& user) {
  nlohmann::json items = nlohmann::json::array();
  for (const TransferRecord& record : store_.list(user.name, kMaxListed)) {
    nlohmann::json item = transfer_json(record, config_->transfer.download_port != 0);
    item.erase("report");
    items.push_back(std::move(item));
  }
  exchange.reply(200, {{"transfers", items}});
}

void TransferService::status(Exchange& exchange, const User& user, const std::string& id) {
  const std::optional<TransferRecord> record = store_.find(user.name, id);
  if (!record) return exchange.fail(404, "not-found", "no such transfer");
  exchange.verdict = record->verdict;
  exchange.reply(200, transfer_json(*record, config_->transfer.download_port != 0));
}

void TransferService::download(Exchange& exchange, const User& user, const std::string& id) {
  if (exchange.side != Side::download)
    return exchange.fail(403, "wrong-side", "sanitised files are handed out only on the LGWAN-side address");
  const std::optional<TransferRecord> record = store_.find(user.name, id);
  if (!record) return exchange.fail(404, "not-found", "no such transfer");
  exchange.verdict = record->verdict;
  if (record->verdict != "delivered")
    return exchange.fail(410, "rejected", "this file was refused; there is nothing to download");
  const std::optional<std::string> bytes = store_.output(user.name, id);
  if (!bytes) return exchange.fail(404, "not-found", "the sanitised file is no longer kept");
  exchange.bytes = bytes->size();
  exchange.response.set("Content-Disposition", attachment_disposition(record->output_filename));
  exchange.status = 200;
  send_bytes(exchange.response, 200, "application/octet-stream", *bytes);
}

// --- release pages (issue 9): authentication here, the rest in release_routes.cpp ---
void TransferService::release(Exchange& exchange, const std::vector<std::string>& segments) {
  if (!release_) return exchange.fail(404, "not-found", "the release service is not enabled");
  if (exchange.side != Side::upload)
    return exchange.fail(403, "wrong-side", "the release pages are on the Internet-side address");
  std::string name = proxy_user(config_->release, exchange.request, exchange.client);
  const std::string via = name.empty() ? "web" : "proxy";
  if (name.empty()) {
    const User* user = authenticate(exchange);
    if (!user) return;
    name = user->name;
  }
  exchange.user = name;
  ReleaseCall call{exchange.request, exchange.response, exchange.client, exchange.method, name, via,
                   exchange.from_page, 0, "", false};
  try {
    handle_release(*release_, call, segments);
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: release: " << error.what() << "\n";
    if (!exchange.response.sent()) exchange.fail(503, "unavailable", "the release service could not complete this; try again later");
    exchange.body_read = exchange.body_read || call.body_read;
    return;
  }
  exchange.status = call.status;
  exchange.error = call.error;
  exchange.body_read = call.body_read;
}
// --- end release pages ---

void TransferService::audit(const Exchange& exchange) {
  if (!audit_) return;
  nlohmann::json line = {{"event", "transfer-request"},
                         {"side", to_string(exchange.side)},
                         {"client", exchange.client},
                         {"method", printable(exchange.method, 16)},
                         {"path", printable(exchange.path.empty() ? exchange.request.getURI() : exchange.path)},
                         {"status", exchange.status}};
  if (!exchange.user.empty()) line["user"] = printable(exchange.user, 64);
  if (!exchange.error.empty()) line["error"] = exchange.error;
  if (!exchange.transfer_id.empty()) line["transfer"] = exchange.transfer_id;
  if (!exchange.verdict.empty()) line["verdict"] = exchange.verdict;
  if (!exchange.profile.empty()) line["profile"] = exchange.profile;
  if (!exchange.sha256.empty()) line["sha256"] = exchange.sha256;
  if (exchange.bytes) line["bytes"] = exchange.bytes;
  try {
    audit_->append(std::move(line));
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: transfer: audit log: " << error.what() << "\n";
  }
}

}  // namespace mugai::transfer
