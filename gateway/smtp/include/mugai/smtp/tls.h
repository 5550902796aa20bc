// OpenSSL contexts for STARTTLS, built once at start-up (a bad certificate stops `mugai serve`
// before it listens, instead of failing every handshake). TLS 1.2 is the minimum both ways;
// renegotiation and compression are off (CRIME; renegotiation DoS).
#pragma once

#include <memory>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace mugai::smtp {

using TlsContext = std::shared_ptr<SSL_CTX>;

// Server side: certificate chain and key in PEM. nullptr and `error` on failure.
TlsContext make_server_tls_context(const std::string& certificate_file, const std::string& key_file,
                                   std::string& error);
// Client side (to the downstream): the peer certificate is always verified, against `ca_file`
// or the system CAs when empty; the host name is checked per connection (Channel).
TlsContext make_client_tls_context(const std::string& ca_file, std::string& error);

}  // namespace mugai::smtp
