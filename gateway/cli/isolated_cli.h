// Sub-commands that parse untrusted bytes (`sanitize`, `quarantine release`) do it the way the
// daemon does: in one sandboxed `mugai worker` process (gateway/worker), never in the command's
// own process. The worker gets the configuration as text, exactly as the command accepted it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mugai/core/config.h"
#include "mugai/worker/worker_pool.h"

namespace mugai::cli {

struct AcceptedConfig {
  core::Config config;
  std::string text;  // what the workers load
  std::string dir;   // relative paths in it resolve against this ("" = working directory)
};

// --config FILE, or the embedded default when path is empty. Prints FILE:LINE:COL errors.
std::optional<AcceptedConfig> load_accepted(const std::string& path);

// Pool options from serve.* (timeout, memory) for this configuration.
worker::PoolOptions pool_options_for(const AcceptedConfig& accepted, int size);

// A one-worker pool, installed with worker::install_pool until the returned guard goes away.
class InstalledWorker {
 public:
  explicit InstalledWorker(const AcceptedConfig& accepted);
  ~InstalledWorker();
  InstalledWorker(const InstalledWorker&) = delete;
  InstalledWorker& operator=(const InstalledWorker&) = delete;

 private:
  std::unique_ptr<worker::WorkerPool> pool_;
};

}  // namespace mugai::cli
