// OpenSSL context set-up for both directions of STARTTLS.
#include "mugai/smtp/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace mugai::smtp {
namespace {

std::string openssl_error(const std::string& what) {
  std::string text = what;
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += ": ";
    text += buffer;
  }
  ERR_clear_error();
  return text;
}

TlsContext new_context(const SSL_METHOD* method, std::string& error) {
  TlsContext context(SSL_CTX_new(method), SSL_CTX_free);
  if (!context) {
    error = openssl_error("cannot create a TLS context");
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(context.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // TLS 1.2 suites without forward secrecy or with weak ciphers are not offered.
  if (SSL_CTX_set_cipher_list(context.get(), "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL") != 1) {
    error = openssl_error("cannot set the TLS 1.2 cipher list");
    return nullptr;
  }
  return context;
}

}  // namespace

TlsContext make_server_tls_context(const std::string& certificate_file, const std::string& key_file,
                                   std::string& error) {
  TlsContext context = new_context(TLS_server_method(), error);
  if (!context) return nullptr;
  SSL_CTX_set_options(context.get(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(context.get(), certificate_file.c_str()) != 1) {
    error = openssl_error("cannot load TLS certificate " + certificate_file);
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(context.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = openssl_error("cannot load TLS key " + key_file);
    return nullptr;
  }
  if (SSL_CTX_check_private_key(context.get()) != 1) {
    error = openssl_error("TLS key does not match the certificate");
    return nullptr;
  }
  static const unsigned char kSessionContext[] = "mugai-smtp";
  SSL_CTX_set_session_id_context(context.get(), kSessionContext, sizeof kSessionContext - 1);
  return context;
}

TlsContext make_client_tls_context(const std::string& ca_file, std::string& error) {
  TlsContext context = new_context(TLS_client_method(), error);
  if (!context) return nullptr;
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  const int loaded = ca_file.empty()
                         ? SSL_CTX_set_default_verify_paths(context.get())
                         : SSL_CTX_load_verify_locations(context.get(), ca_file.c_str(), nullptr);
  if (loaded != 1) {
    error = openssl_error("cannot load CA certificates " + ca_file);
    return nullptr;
  }
  return context;
}

}  // namespace mugai::smtp
