// The transport `mugai serve` hands sanitised mail to, built from the serve: section: the
// downstream MTA (relay_client.h) when downstream_host is set, else the outbox directory. Shared
// by the server and by `mugai quarantine release`, so a released message travels exactly the
// way a sanitised one does.
#pragma once

#include <memory>
#include <string>

#include "mugai/core/config.h"
#include "mugai/smtp/transport.h"

namespace mugai::smtp {

// nullptr and `error` when the outbox cannot be prepared or the TLS context cannot be built.
std::shared_ptr<Transport> make_transport(const core::ServeConfig& serve, std::string& error);

}  // namespace mugai::smtp
