// `mugai serve [--config FILE]`: the SMTP proxy (gateway/smtp/README.md). Runs until SIGTERM or
// SIGINT (graceful: stop accepting, finish sessions within serve.shutdown_grace_seconds, exit 0);
// SIGHUP reloads --config FILE, and a broken file is refused while the old configuration runs on.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli_support.h"
#include "commands.h"
#include "mugai/admin/admin_server.h"
#include "mugai/admin/metrics.h"
#include "mugai/core/audit_log.h"
#include "mugai/core/config_loader.h"
#include "mugai/smtp/server.h"

namespace mugai::cli {
namespace {

std::optional<std::string> read_key_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

}  // namespace

int run_serve(const Args& args) {
  std::string config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (args[i].rfind("--config=", 0) == 0) {
      config_path = args[i].substr(9);
    } else {
      std::cerr << "usage: mugai serve [--config FILE]\n";
      return kExitUsage;
    }
  }
  std::optional<core::Config> loaded = load_config_or_report(config_path);
  if (!loaded) return kExitConfig;
  auto config = std::make_shared<const core::Config>(std::move(*loaded));
  const core::ServeConfig& serve = config->serve;

  // Signals are taken by this thread with sigwait(); every thread started from here on inherits
  // the mask, so no session thread is ever interrupted by them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<core::AuditLog> audit;
  try {
    std::string key;
    if (!serve.audit_hmac_key_file.empty()) {
      std::optional<std::string> read = read_key_file(serve.audit_hmac_key_file);
      if (!read || read->empty()) {
        std::cerr << "mugai serve: cannot read serve.audit_hmac_key_file " << serve.audit_hmac_key_file << "\n";
        return kExitConfig;
      }
      key = std::move(*read);
    }
    audit = std::make_unique<core::AuditLog>(serve.audit_log, key, serve.audit_syslog);
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: cannot open audit log " << serve.audit_log << ": " << error.what() << "\n";
    return kExitCantCreate;
  }

  admin::Metrics metrics;
  std::string error;
  std::unique_ptr<smtp::Server> server = smtp::Server::create(config, audit.get(), &metrics, error);
  if (!server) {
    std::cerr << "mugai serve: " << error << "\n";
    return kExitConfig;
  }
  std::unique_ptr<admin::AdminServer> admin_server;
  if (serve.admin_port != 0) {
    try {
      admin_server = std::make_unique<admin::AdminServer>(
          serve.admin_address, serve.admin_port, metrics, [&server](std::string& reason) {
            if (!server->stopping()) return true;
            reason = "shutting down";
            return false;
          });
    } catch (const std::exception& failure) {
      std::cerr << "mugai serve: cannot start the admin listener on " << serve.admin_address << ":"
                << serve.admin_port << ": " << failure.what() << "\n";
      return kExitCantCreate;
    }
  }
  server->start();
  audit->append({{"event", "start"}, {"listen", serve.listen_address + ":" + std::to_string(server->port())}});

  std::cout << "mugai serve: listening on " << serve.listen_address << ":" << server->port() << ", ";
  if (serve.downstream_host.empty())
    std::cout << "sanitised mail goes to the outbox " << serve.outbox_dir << "/\n";
  else
    std::cout << "relaying sanitised mail to " << serve.downstream_host << ":" << serve.downstream_port << "\n";
  if (admin_server) std::cout << "mugai serve: /healthz and /metrics on " << serve.admin_address << ":" << admin_server->port() << "\n";
  const std::string domain = serve.accepted_domains.empty() ? "example.jp" : serve.accepted_domains.front();
  std::cout << "mugai serve: try  swaks --server " << serve.listen_address << ":" << server->port()
            << " --to someone@" << domain << "\n";
  if (serve.accepted_domains.empty())
    std::cout << "mugai serve: note: serve.accepted_domains is empty, every recipient is refused\n";
  std::cout.flush();

  for (;;) {
    int signal_number = 0;
    if (sigwait(&signals, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      bool ok = false;
      if (config_path.empty()) {
        std::cerr << "mugai serve: SIGHUP: running on the embedded configuration, nothing to reload\n";
      } else if (std::optional<core::Config> next = load_config_or_report(config_path)) {
        ok = server->reload(std::make_shared<const core::Config>(std::move(*next)), error);
        if (!ok) std::cerr << "mugai serve: SIGHUP: configuration refused: " << error << "\n";
      } else {
        std::cerr << "mugai serve: SIGHUP: configuration refused, the old one keeps running\n";
      }
      if (ok) std::cerr << "mugai serve: configuration reloaded (new sessions use it)\n";
      metrics.config_reload(ok);
      try {
        audit->append({{"event", "reload"}, {"ok", ok}});
      } catch (const std::exception&) {
      }
      continue;
    }
    std::cerr << "mugai serve: stopping, waiting up to " << serve.shutdown_grace_seconds
              << " s for sessions in flight\n";
    const bool clean = server->shutdown(std::chrono::seconds(std::max(serve.shutdown_grace_seconds, 0)));
    try {
      audit->append({{"event", "stop"}, {"clean", clean}});
    } catch (const std::exception&) {
    }
    if (!clean) {
      // A session is still waiting on the downstream past every deadline. It has not answered
      // 250, so its sender keeps the message; leave without running destructors under it.
      std::cerr << "mugai serve: stopped with sessions still in flight (their senders will retry)\n";
      std::cout.flush();
      std::_Exit(0);
    }
    admin_server.reset();
    server.reset();
    return 0;
  }
}

}  // namespace mugai::cli
