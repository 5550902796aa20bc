// Internal: the Poco connection object that runs one SMTP session over an accepted socket.
#pragma once

#include <memory>

#include <Poco/Net/TCPServerConnectionFactory.h>

namespace mugai::smtp {

struct ServerState;

Poco::Net::TCPServerConnectionFactory::Ptr make_connection_factory(std::shared_ptr<ServerState> state);

}  // namespace mugai::smtp
