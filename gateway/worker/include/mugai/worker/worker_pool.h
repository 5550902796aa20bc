// A pool of worker processes that run the pipeline (DESIGN.md §6). The daemon never parses
// hostile content itself: run() hands a job to an idle worker (starting one when fewer than
// `size` exist, else waiting for one), waits at most `timeout` for the answer, and turns any
// death into a Failure. A dead or killed worker is reaped and replaced by the next job.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mugai/core/pipeline.h"
#include "mugai/worker/protocol.h"

namespace mugai::worker {

enum class FailureReason { crashed, killed_by_limit, timeout, protocol };
// "crashed", "killed-by-limit", "timeout", "protocol" (metrics labels and audit lines).
std::string_view to_string(FailureReason reason);

struct Failure {
  FailureReason reason = FailureReason::protocol;
  std::string detail;  // e.g. "signal 11 (Segmentation fault)", "exit 86 (allocation beyond RLIMIT_AS)"
};

using JobOutcome = std::variant<core::Result, Failure>;

struct PoolOptions {
  std::string executable = "/proc/self/exe";  // the mugai binary itself
  // The configuration the daemon accepted, as text (sent to each new worker as its first frame,
  // so a file edited on disk but not yet reloaded never reaches a worker), and the directory
  // relative paths in it resolve against ("" = the working directory).
  std::string config_text;
  std::string config_dir;
  int size = 4;
  std::chrono::seconds timeout{180};
  std::uint64_t max_output_bytes = 512ull << 20;  // a worker's answer beyond this is a protocol error
  std::string scratch_base = "/tmp";
  // The sandbox a worker enters before it reads the configuration (serve.worker_memory_mb,
  // worker_cpu_seconds, worker_user); ASan builds use memory_mb as hard_rss_limit_mb instead.
  std::uint64_t memory_mb = 2048;
  std::uint64_t cpu_seconds = 120;
  std::string user = "nobody";
  // Called for every worker that ended abnormally ("crashed", ...) and every start ("started").
  std::function<void(std::string_view event)> on_event;
};

class WorkerPool {
 public:
  explicit WorkerPool(PoolOptions options);
  ~WorkerPool();  // closes every worker's socket (they exit) and reaps them
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // `while_running` (optional) is called once the job is with a worker, before its answer is
  // awaited: the caller's own work overlaps the sanitising. An exception from it is rethrown
  // after the worker's answer was read (the worker is then never left holding a stale answer).
  JobOutcome run(const Job& job, const std::function<void()>& while_running = {});

  // New configuration (SIGHUP): idle workers are retired, busy ones after their job; the new
  // text, size, timeout and sandbox apply to the next jobs (a smaller pool shrinks as workers
  // come back). `on_event`, `executable`, `scratch_base` and `max_output_bytes` stay as they were.
  void reconfigure(const PoolOptions& next);

  int live_workers() const;

  // Failures counted per message (its SHA-256) across sessions, for serve.worker_max_attempts.
  // Returns the count including this one. Bounded: beyond 10000 messages the table starts over.
  int note_failure(const std::string& sha256);
  void forget_failures(const std::string& sha256);

 private:
  struct Worker;
  JobOutcome run_job(const Job& job, const std::function<void()>& while_running);
  std::unique_ptr<Worker> acquire();
  void release(std::unique_ptr<Worker> worker);
  std::unique_ptr<Worker> spawn(std::string& error);
  Failure bury(std::unique_ptr<Worker> worker, FailureReason guess, std::string detail);

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable idle_changed_;
  std::vector<std::unique_ptr<Worker>> idle_;
  int live_ = 0;         // idle + busy
  std::chrono::seconds timeout_;
  std::uint64_t generation_ = 0;
  std::map<std::string, int> failures_;
};

}  // namespace mugai::worker
