#include "isolated_cli.h"

#include <filesystem>
#include <iostream>

#include "cli_support.h"
#include "mugai/core/config_loader.h"
#include "mugai/worker/isolated_sanitise.h"

namespace mugai::cli {

std::optional<AcceptedConfig> load_accepted(const std::string& path) {
  AcceptedConfig accepted;
  if (path.empty()) {
    accepted.config = core::embedded_config();
    accepted.text = std::string(core::embedded_config_text());
    return accepted;
  }
  std::optional<std::string> text = read_input(path, core::kMaxConfigFileBytes);
  if (!text || text->size() > core::kMaxConfigFileBytes) {
    std::cerr << path << ": error: cannot read the configuration (missing, unreadable or over 1 MiB)\n";
    return std::nullopt;
  }
  accepted.dir = std::filesystem::path(path).parent_path().string();
  core::LoadResult loaded = core::load_config_text(*text, accepted.dir);
  if (!loaded.config) {
    for (const core::ConfigError& error : loaded.errors) std::cerr << core::format_config_error(path, error) << "\n";
    return std::nullopt;
  }
  accepted.config = std::move(*loaded.config);
  accepted.text = std::move(*text);
  return accepted;
}

worker::PoolOptions pool_options_for(const AcceptedConfig& accepted, int size) {
  const core::ServeConfig& serve = accepted.config.serve;
  worker::PoolOptions options;
  options.config_text = accepted.text;
  options.config_dir = accepted.dir;
  options.size = size;
  options.memory_mb = static_cast<std::uint64_t>(serve.worker_memory_mb);
  options.cpu_seconds = static_cast<std::uint64_t>(serve.worker_cpu_seconds);
  options.user = serve.worker_user;
  options.timeout = std::chrono::seconds(serve.worker_timeout_seconds);
  options.max_output_bytes =
      accepted.config.limits.max_decoded_bytes + accepted.config.limits.max_message_bytes + (1 << 20);
  return options;
}

InstalledWorker::InstalledWorker(const AcceptedConfig& accepted)
    : pool_(std::make_unique<worker::WorkerPool>(pool_options_for(accepted, 1))) {
  worker::install_pool(pool_.get());
}

InstalledWorker::~InstalledWorker() { worker::install_pool(nullptr); }

}  // namespace mugai::cli
