// ServeConfig + Limits -> SessionSettings, refusing values that would make a limit meaningless.
#include "mugai/smtp/session_settings.h"

#include <cctype>

namespace mugai::smtp {

std::optional<SessionSettings> settings_from_config(const core::Config& config, std::string& error) {
  const core::ServeConfig& serve = config.serve;
  SessionSettings settings;
  if (serve.hostname.empty() || serve.hostname.find_first_of(" \r\n\t") != std::string::npos) {
    error = "serve.hostname must be one word";
    return std::nullopt;
  }
  if (config.limits.max_message_bytes == 0) {
    error = "limits.max_message_bytes must be above 0";
    return std::nullopt;
  }
  if (serve.max_recipients < 1) {
    error = "serve.max_recipients must be at least 1";
    return std::nullopt;
  }
  if (serve.max_errors_per_session < 1) {
    error = "serve.max_errors_per_session must be at least 1";
    return std::nullopt;
  }
  const bool has_certificate = !serve.tls_certificate_file.empty();
  if (has_certificate != !serve.tls_key_file.empty()) {
    error = "serve.tls_certificate_file and serve.tls_key_file must be set together";
    return std::nullopt;
  }
  if (serve.require_starttls && !has_certificate) {
    error = "serve.require_starttls needs serve.tls_certificate_file and serve.tls_key_file";
    return std::nullopt;
  }
  settings.hostname = serve.hostname;
  settings.max_message_bytes = config.limits.max_message_bytes;
  settings.max_recipients = static_cast<std::size_t>(serve.max_recipients);
  settings.max_errors = serve.max_errors_per_session;
  settings.tls_available = has_certificate;
  settings.require_tls = serve.require_starttls;
  for (const std::string& domain : serve.accepted_domains) {
    std::string lower = domain;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!lower.empty() && lower.back() == '.') lower.pop_back();
    if (lower.empty()) {
      error = "serve.accepted_domains has an empty entry";
      return std::nullopt;
    }
    settings.accepted_domains.push_back(std::move(lower));
  }
  return settings;
}

}  // namespace mugai::smtp
