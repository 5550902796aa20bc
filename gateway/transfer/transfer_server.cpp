#include "mugai/transfer/transfer_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <cstdint>

#include "mugai/core/config.h"
#include "transfer_service.h"

namespace mugai::transfer {
namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(TransferService& service, Side side) : service_(service), side_(side) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    service_.handle(side_, request, response);
  }

 private:
  TransferService& service_;
  Side side_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(TransferService& service, Side side, std::uint64_t max_body_bytes)
      : service_(service), side_(side), max_body_bytes_(max_body_bytes) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
    // Poco answers "Expect: 100-continue" with 100 right after this call, inviting the client to
    // send a body we will refuse. Without the Expect header the handler's 413 is the first and
    // only answer (RFC 9110 §10.1.1 allows a final status instead of 100).
    if (request.getExpectContinue() && request.hasContentLength() &&
        static_cast<std::uint64_t>(request.getContentLength64()) > max_body_bytes_)
      const_cast<Poco::Net::HTTPServerRequest&>(request).erase("Expect");
    return new Handler(service_, side_);
  }

 private:
  TransferService& service_;
  Side side_;
  std::uint64_t max_body_bytes_;
};

Poco::Net::Context::Ptr tls_context(const core::TransferConfig& transfer) {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params params;
  params.certificateFile = transfer.tls_certificate_file;
  params.privateKeyFile = transfer.tls_key_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL";
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

Poco::Net::ServerSocket bind_listener(const std::string& address, int port, const Poco::Net::Context::Ptr& context) {
  const Poco::Net::SocketAddress where(address, static_cast<Poco::UInt16>(port));
  if (context) return Poco::Net::SecureServerSocket(where, 64, context);
  return Poco::Net::ServerSocket(where, 64);
}

}  // namespace

struct TransferServer::Impl {
  std::unique_ptr<TransferService> service;
  std::unique_ptr<Poco::ThreadPool> upload_threads;
  std::unique_ptr<Poco::ThreadPool> download_threads;
  std::unique_ptr<Poco::Net::HTTPServer> upload;
  std::unique_ptr<Poco::Net::HTTPServer> download;
  bool https = false;
};

namespace {

std::unique_ptr<Poco::Net::HTTPServer> make_server(TransferService& service, Side side, Poco::ThreadPool& threads,
                                                   const Poco::Net::ServerSocket& socket,
                                                   const core::TransferConfig& transfer) {
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(transfer.max_connections);
  params->setMaxQueued(transfer.max_connections * 4);
  params->setTimeout(Poco::Timespan(transfer.request_timeout_seconds, 0));
  params->setKeepAlive(true);
  // Poco keeps a thread per open connection: idle browser connections must not hold them long.
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setMaxKeepAliveRequests(100);
  params->setServerName("mugai");
  // The multipart framing allowance of upload_reader.cpp on top of the file itself.
  const std::uint64_t max_body_bytes = transfer.max_upload_bytes + 64 * 1024;
  return std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(service, side, max_body_bytes), threads, socket,
                                                 params);
}

}  // namespace

std::unique_ptr<TransferServer> TransferServer::create(std::shared_ptr<const core::Config> config,
                                                       core::AuditLog* audit, std::string& error) {
  const core::TransferConfig& transfer = config->transfer;
  auto impl = std::make_unique<Impl>();
  std::string where = "transfer.tls_certificate_file";
  try {
    Poco::Net::Context::Ptr context;
    if (!transfer.tls_certificate_file.empty()) context = tls_context(transfer);
    impl->https = static_cast<bool>(context);
    where = "transfer.users";
    impl->service = std::make_unique<TransferService>(config, audit);
    where = "transfer.upload_address " + transfer.upload_address + ":" + std::to_string(transfer.upload_port);
    Poco::Net::ServerSocket upload_socket = bind_listener(transfer.upload_address, transfer.upload_port, context);
    impl->upload_threads = std::make_unique<Poco::ThreadPool>(2, transfer.max_connections + 2);
    impl->upload = make_server(*impl->service, Side::upload, *impl->upload_threads, upload_socket, transfer);
    if (transfer.download_port != 0) {
      where = "transfer.download_address " + transfer.download_address + ":" + std::to_string(transfer.download_port);
      Poco::Net::ServerSocket download_socket = bind_listener(transfer.download_address, transfer.download_port, context);
      impl->download_threads = std::make_unique<Poco::ThreadPool>(2, transfer.max_connections + 2);
      impl->download = make_server(*impl->service, Side::download, *impl->download_threads, download_socket, transfer);
    }
  } catch (const Poco::Exception& failure) {
    error = "transfer: " + where + ": " + failure.displayText();
    return nullptr;
  } catch (const std::exception& failure) {
    error = "transfer: " + where + ": " + failure.what();
    return nullptr;
  }
  return std::unique_ptr<TransferServer>(new TransferServer(std::move(impl)));
}

TransferServer::TransferServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TransferServer::~TransferServer() { stop(); }

void TransferServer::start() {
  impl_->upload->start();
  if (impl_->download) impl_->download->start();
}

void TransferServer::stop() {
  if (impl_->upload) impl_->upload->stopAll(false);
  if (impl_->download) impl_->download->stopAll(false);
  if (impl_->upload_threads) impl_->upload_threads->joinAll();
  if (impl_->download_threads) impl_->download_threads->joinAll();
}

int TransferServer::upload_port() const { return impl_->upload ? impl_->upload->port() : 0; }
int TransferServer::download_port() const { return impl_->download ? impl_->download->port() : 0; }
std::string TransferServer::scheme() const { return impl_->https ? "https" : "http"; }

}  // namespace mugai::transfer
