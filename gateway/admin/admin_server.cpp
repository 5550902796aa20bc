#include "mugai/admin/admin_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace mugai::admin {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

class AdminHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  AdminHandler(const Metrics& metrics, const AdminServer::HealthCheck& healthy)
      : metrics_(metrics), healthy_(healthy) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    std::string body;
    if (request.getMethod() != "GET") {
      response.setStatus(HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
      body = "GET only\n";
    } else if (request.getURI() == "/metrics") {
      response.setContentType("text/plain; version=0.0.4; charset=utf-8");
      body = metrics_.render();
    } else if (request.getURI() == "/healthz") {
      std::string reason;
      const bool ok = !healthy_ || healthy_(reason);
      response.setStatus(ok ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
      body = ok ? "ok\n" : "unhealthy: " + reason + "\n";
    } else {
      response.setStatus(HTTPResponse::HTTP_NOT_FOUND);
      body = "not found\n";
    }
    if (response.getContentType() == HTTPResponse::UNKNOWN_CONTENT_TYPE)
      response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  const Metrics& metrics_;
  const AdminServer::HealthCheck& healthy_;
};

class AdminHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  AdminHandlerFactory(const Metrics& metrics, AdminServer::HealthCheck healthy)
      : metrics_(metrics), healthy_(std::move(healthy)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new AdminHandler(metrics_, healthy_);
  }

 private:
  const Metrics& metrics_;
  AdminServer::HealthCheck healthy_;
};

}  // namespace

AdminServer::AdminServer(const std::string& address, int port, const Metrics& metrics, HealthCheck healthy) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(port)));
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(2);  // counters only: two threads are plenty and bound the exposure
  params->setMaxQueued(16);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new AdminHandlerFactory(metrics, std::move(healthy)),
                                                    socket, params);
  server_->start();
}

AdminServer::~AdminServer() {
  if (server_) server_->stopAll(true);
}

int AdminServer::port() const { return server_ ? server_->port() : 0; }

}  // namespace mugai::admin
