#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>

#include "mugai/admin/admin_server.h"

using mugai::admin::AdminServer;
using mugai::admin::Metrics;
using mugai::admin::MessageOutcome;

namespace {

std::pair<int, std::string> get(int port, const std::string& path, const std::string& method = "GET") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(body, text);
  return {static_cast<int>(response.getStatus()), text.str()};
}

}  // namespace

TEST_CASE("metrics render counters and a cumulative histogram", "[admin]") {
  Metrics metrics;
  metrics.message(MessageOutcome::delivered, 100, 80, 0.003);
  metrics.message(MessageOutcome::delivered, 100, 80, 0.2);
  metrics.message(MessageOutcome::rejected, 50, 0, 20.0);
  metrics.part(mugai::Action::removed);
  const std::string text = metrics.render();
  CHECK(text.find("mugai_messages_total{outcome=\"delivered\"} 2\n") != std::string::npos);
  CHECK(text.find("mugai_messages_total{outcome=\"rejected\"} 1\n") != std::string::npos);
  CHECK(text.find("mugai_parts_total{action=\"removed\"} 1\n") != std::string::npos);
  CHECK(text.find("mugai_bytes_received_total 250\n") != std::string::npos);
  CHECK(text.find("mugai_message_seconds_bucket{le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("mugai_message_seconds_bucket{le=\"0.25\"} 2\n") != std::string::npos);
  CHECK(text.find("mugai_message_seconds_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("mugai_message_seconds_count 3\n") != std::string::npos);
}

TEST_CASE("admin listener serves /healthz and /metrics only", "[admin]") {
  Metrics metrics;
  metrics.session_opened();
  bool healthy = true;
  AdminServer server("127.0.0.1", 0, metrics, [&](std::string& reason) {
    reason = "downstream unreachable";
    return healthy;
  });
  REQUIRE(server.port() > 0);
  CHECK(get(server.port(), "/healthz") == std::pair<int, std::string>{200, "ok\n"});
  const auto [status, body] = get(server.port(), "/metrics");
  CHECK(status == 200);
  CHECK(body.find("mugai_sessions_active 1\n") != std::string::npos);
  CHECK(get(server.port(), "/quarantine").first == 404);
  CHECK(get(server.port(), "/metrics", "POST").first == 405);
  healthy = false;
  CHECK(get(server.port(), "/healthz") == std::pair<int, std::string>{503, "unhealthy: downstream unreachable\n"});
}
