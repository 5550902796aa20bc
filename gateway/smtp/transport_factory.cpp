#include "mugai/smtp/transport_factory.h"

#include "mugai/smtp/outbox.h"
#include "mugai/smtp/relay_client.h"

namespace mugai::smtp {

std::shared_ptr<Transport> make_transport(const core::ServeConfig& serve, std::string& error) {
  if (serve.downstream_host.empty()) {
    auto outbox = std::make_shared<Outbox>(serve.outbox_dir);
    if (!outbox->prepare(error)) return nullptr;
    return outbox;
  }
  RelaySettings relay;
  relay.host = serve.downstream_host;
  relay.port = serve.downstream_port;
  relay.starttls = serve.downstream_starttls;
  relay.ca_file = serve.downstream_ca_file;
  relay.timeout = std::chrono::seconds(serve.downstream_timeout_seconds);
  relay.max_connections = serve.downstream_connections;
  relay.helo_name = serve.hostname;
  std::unique_ptr<RelayClient> client = RelayClient::create(std::move(relay), error);
  return std::shared_ptr<Transport>(std::move(client));
}

}  // namespace mugai::smtp
