// `mugai serve [--config FILE]`: the SMTP proxy (gateway/smtp/README.md). Runs until SIGTERM or
// SIGINT (graceful: stop accepting, finish sessions within serve.shutdown_grace_seconds, exit 0);
// SIGHUP reloads --config FILE, and a broken file is refused while the old configuration runs on.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli_support.h"
#include "commands.h"
#include "isolated_cli.h"
#include "mugai/admin/admin_server.h"
#include "mugai/admin/metrics.h"
#include "mugai/core/audit_log.h"
#include "mugai/core/config_loader.h"
#include "mugai/smtp/server.h"
#include "mugai/transfer/transfer_server.h"
#include "mugai/worker/heap_policy.h"
#include "mugai/worker/isolated_sanitise.h"
#include "mugai/worker/worker_pool.h"

namespace mugai::cli {

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
  worker::bound_heap_growth();
  std::optional<AcceptedConfig> loaded = load_accepted(config_path);
  if (!loaded) return kExitConfig;
  // Workers get the accepted text (and limits) as loaded, before the Config moves into the server.
  worker::PoolOptions pool_options = pool_options_for(*loaded, loaded->config.serve.workers);
  auto config = std::make_shared<const core::Config>(std::move(loaded->config));
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
    // The same reading as `mugai audit verify --hmac-key-file`, or lines would not verify.
    std::string key;
    if (!serve.audit_hmac_key_file.empty()) {
      try {
        key = core::read_hmac_key_file(serve.audit_hmac_key_file);
      } catch (const std::exception& error) {
        std::cerr << "mugai serve: serve.audit_hmac_key_file: " << error.what() << "\n";
        return kExitConfig;
      }
    }
    audit = std::make_unique<core::AuditLog>(serve.audit_log, key, serve.audit_syslog);
  } catch (const std::exception& error) {
    std::cerr << "mugai serve: cannot open audit log " << serve.audit_log << ": " << error.what() << "\n";
    return kExitCantCreate;
  }

  admin::Metrics metrics;
  // The pipeline never runs in this process: a pool of sandboxed `mugai worker` processes
  // (gateway/worker/README.md) parses every message and upload.
  pool_options.on_event = [&metrics](std::string_view event) { metrics.worker_event(event); };
  auto pool = std::make_unique<worker::WorkerPool>(std::move(pool_options));
  worker::install_pool(pool.get());  // uploads and PPAP releases use it too
  std::string error;
  std::unique_ptr<smtp::Server> server = smtp::Server::create(config, audit.get(), &metrics, error, pool.get());
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
  // --- file-transfer proxy (gateway/transfer), only when transfer.enabled ---
  std::unique_ptr<transfer::TransferServer> transfer_server;
  if (config->transfer.enabled) {
    transfer_server = transfer::TransferServer::create(config, audit.get(), error);
    if (!transfer_server) {
      std::cerr << "mugai serve: " << error << "\n";
      return kExitCantCreate;
    }
    transfer_server->start();
    std::cout << "mugai serve: file transfer: upload page " << transfer_server->scheme() << "://"
              << config->transfer.upload_address << ":" << transfer_server->upload_port() << "/";
    if (transfer_server->download_port() != 0)
      std::cout << ", download page " << transfer_server->scheme() << "://" << config->transfer.download_address
                << ":" << transfer_server->download_port() << "/";
    if (!config->transfer.outbox_dir.empty()) std::cout << ", outbox " << config->transfer.outbox_dir << "/";
    std::cout << "\n";
  }
  // --- end file-transfer proxy ---
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
      } else if (std::optional<AcceptedConfig> next = load_accepted(config_path)) {
        ok = server->reload(std::make_shared<const core::Config>(next->config), error);
        if (ok)  // busy workers finish their job first
          pool->reconfigure(pool_options_for(*next, next->config.serve.workers));
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
    transfer_server.reset();  // file-transfer proxy: finishes requests in flight
    admin_server.reset();
    server.reset();
    return 0;
  }
}

}  // namespace mugai::cli
