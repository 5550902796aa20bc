#include "mugai/worker/worker_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <thread>

#include "mugai/worker/frame.h"
#include "mugai/worker/sandbox.h"

#include "mugai/worker/asan_build.h"

extern char** environ;

namespace mugai::worker {
namespace {

// The worker's environment: the daemon's, except in ASan builds, where RLIMIT_AS cannot be used
// (the shadow memory needs terabytes of address space): ASan's own RSS limit stands in for it,
// and leak checking is off (LeakSanitizer needs ptrace, which the worker's seccomp filter denies).
std::vector<std::string> worker_environment([[maybe_unused]] std::uint64_t memory_mb) {
  std::vector<std::string> env;
  std::string asan = "ASAN_OPTIONS=";
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("ASAN_OPTIONS=")) asan = std::string(text) + ":";
    else env.emplace_back(text);
  }
#ifdef MUGAI_WORKER_ASAN
  env.push_back(asan + "detect_leaks=0:hard_rss_limit_mb=" + std::to_string(memory_mb));
#else
  if (asan.size() > 13) env.push_back(asan.substr(0, asan.size() - 1));
#endif
  return env;
}

constexpr std::uint64_t kMaxHeaderBytes = 64ull << 20;  // report JSON of a huge message
constexpr int kChildFd = 3;
// Exit statuses of `mugai worker` that mean "could not start" (usage, sandbox, config): the
// environment's fault, not the message's.
constexpr std::array<int, 4> kStartupExits{64, 71, 78, 127};  // 127: exec failed

std::string signal_detail(int signal_number) {
  const char* name = ::strsignal(signal_number);
  return "signal " + std::to_string(signal_number) + " (" + (name ? name : "?") + ")";
}

// What a worker's wait status says about how it ended.
Failure classify(int status, FailureReason guess, std::string detail) {
  Failure failure{guess, std::move(detail)};
  std::string how;
  if (WIFSIGNALED(status)) {
    const int number = WTERMSIG(status);
    how = signal_detail(number);
    if (guess != FailureReason::timeout) {
      // SIGXCPU: soft RLIMIT_CPU; SIGKILL we did not send: hard RLIMIT_CPU or the OOM killer.
      failure.reason = number == SIGXCPU || number == SIGKILL ? FailureReason::killed_by_limit
                                                             : FailureReason::crashed;
    }
  } else if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    how = "exit " + std::to_string(code);
    if (code == kExitOutOfMemory) {
      failure.reason = FailureReason::killed_by_limit;
      how += " (allocation beyond RLIMIT_AS)";
    } else if (std::find(kStartupExits.begin(), kStartupExits.end(), code) != kStartupExits.end()) {
      failure.reason = FailureReason::protocol;
      how += " (worker could not start, see the daemon's stderr)";
    } else if (code != 0 && guess != FailureReason::timeout) {
      failure.reason = FailureReason::crashed;  // exit 0 = it left because we closed its socket
    }
  }
  if (!how.empty()) failure.detail = failure.detail.empty() ? how : failure.detail + ": " + how;
  return failure;
}

}  // namespace

std::string_view to_string(FailureReason reason) {
  switch (reason) {
    case FailureReason::crashed: return "crashed";
    case FailureReason::killed_by_limit: return "killed-by-limit";
    case FailureReason::timeout: return "timeout";
    case FailureReason::protocol: return "protocol";
  }
  return "protocol";
}

struct WorkerPool::Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string scratch;
  std::uint64_t generation = 0;
};

WorkerPool::WorkerPool(PoolOptions options) : options_(std::move(options)) {
  if (!options_.config_dir.empty()) options_.config_dir = std::filesystem::absolute(options_.config_dir).string();
  if (options_.size < 1) options_.size = 1;
  timeout_ = options_.timeout;
}

WorkerPool::~WorkerPool() {
  std::vector<std::unique_ptr<Worker>> idle;
  {
    std::lock_guard lock(mutex_);
    idle.swap(idle_);
  }
  for (auto& worker : idle) {
    ::close(worker->fd);  // the worker reads EOF and exits
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(worker->pid, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (::kill(worker->pid, SIGKILL) == 0) ::waitpid(worker->pid, &status, 0);
    std::error_code ignored;
    std::filesystem::remove_all(worker->scratch, ignored);
  }
}

int WorkerPool::live_workers() const {
  std::lock_guard lock(mutex_);
  return live_;
}

void WorkerPool::reconfigure(const PoolOptions& next) {
  std::vector<std::unique_ptr<Worker>> retired;
  {
    std::lock_guard lock(mutex_);
    options_.size = std::max(next.size, 1);
    timeout_ = next.timeout;
    options_.config_text = next.config_text;
    options_.config_dir = next.config_dir.empty() ? "" : std::filesystem::absolute(next.config_dir).string();
    options_.memory_mb = next.memory_mb;
    options_.cpu_seconds = next.cpu_seconds;
    options_.user = next.user;
    ++generation_;
    retired.swap(idle_);
  }
  for (auto& worker : retired) bury(std::move(worker), FailureReason::protocol, "");
}

std::unique_ptr<WorkerPool::Worker> WorkerPool::spawn(std::string& error) {
  std::string config_text;
  std::string config_dir;
  std::uint64_t generation = 0;
  std::uint64_t memory_mb = 0;
  std::uint64_t cpu_seconds = 0;
  std::string user;
  {
    std::lock_guard lock(mutex_);
    config_text = options_.config_text;
    config_dir = options_.config_dir;
    generation = generation_;
    memory_mb = options_.memory_mb;
    cpu_seconds = options_.cpu_seconds;
    user = options_.user;
  }
  auto worker = std::make_unique<Worker>();
  worker->generation = generation;
  std::string scratch = options_.scratch_base + "/mugai-worker-XXXXXX";
  if (::mkdtemp(scratch.data()) == nullptr) {
    error = "cannot create a scratch directory in " + options_.scratch_base + ": " + std::strerror(errno);
    return nullptr;
  }
  worker->scratch = std::filesystem::absolute(scratch).string();
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    error = std::string("socketpair: ") + std::strerror(errno);
    ::rmdir(worker->scratch.c_str());
    return nullptr;
  }
  // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
  std::vector<std::string> args{options_.executable, "worker", "--fd", std::to_string(kChildFd), "--scratch",
                                worker->scratch, "--config-dir", config_dir, "--memory-mb", std::to_string(memory_mb),
                                "--cpu-seconds", std::to_string(cpu_seconds), "--user", user};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = worker_environment(memory_mb);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    ::close(pair[0]);
    ::close(pair[1]);
    ::rmdir(worker->scratch.c_str());
    return nullptr;
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);  // the daemon blocks SIGTERM/HUP for sigwait
    ::signal(SIGPIPE, SIG_DFL);
    if (pair[1] == kChildFd) ::fcntl(kChildFd, F_SETFD, 0);
    else if (::dup2(pair[1], kChildFd) < 0) ::_exit(127);
    ::close_range(kChildFd + 1, ~0U, 0);  // no listener, log or client socket leaks into a worker
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pair[1]);
  worker->pid = pid;
  worker->fd = pair[0];
  if (!write_frame(worker->fd, config_text)) {
    error = "the new worker did not take its configuration";
    static_cast<void>(bury(std::move(worker), FailureReason::protocol, ""));
    {
      std::lock_guard lock(mutex_);
      ++live_;  // bury() counted it; the caller's reservation still stands
    }
    return nullptr;
  }
  if (options_.on_event) options_.on_event("started");
  return worker;
}

std::unique_ptr<WorkerPool::Worker> WorkerPool::acquire() {
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Worker> worker = std::move(idle_.back());
      idle_.pop_back();
      if (worker->generation == generation_) return worker;
      lock.unlock();
      bury(std::move(worker), FailureReason::protocol, "");  // old configuration
      lock.lock();
    }
    if (live_ < options_.size) {
      ++live_;
      return nullptr;  // the caller spawns (outside the lock)
    }
    idle_changed_.wait(lock);
  }
}

void WorkerPool::release(std::unique_ptr<Worker> worker) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(worker));
  }
  idle_changed_.notify_one();
}

Failure WorkerPool::bury(std::unique_ptr<Worker> worker, FailureReason guess, std::string detail) {
  ::close(worker->fd);
  int status = 0;
  pid_t reaped = 0;
  bool killed_here = false;
  if (guess == FailureReason::timeout) {
    ::kill(worker->pid, SIGKILL);
  } else {
    // It closed its end: it is exiting. Give it a moment to say how, then make sure.
    for (int i = 0; i < 200 && (reaped = ::waitpid(worker->pid, &status, WNOHANG)) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (reaped == 0) killed_here = ::kill(worker->pid, SIGKILL) == 0;
  }
  if (reaped == 0) reaped = ::waitpid(worker->pid, &status, 0);
  std::error_code ignored;
  std::filesystem::remove_all(worker->scratch, ignored);
  {
    std::lock_guard lock(mutex_);
    --live_;
  }
  idle_changed_.notify_one();
  // Our own SIGKILL says nothing about limits: classify() would take it for RLIMIT_CPU or OOM.
  if (killed_here) return Failure{guess, detail + ": still running 1 s after closing its socket, killed"};
  return reaped > 0 ? classify(status, guess, std::move(detail)) : Failure{guess, std::move(detail)};
}

int WorkerPool::note_failure(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= 10'000 && !failures_.contains(sha256)) failures_.clear();
  return ++failures_[sha256];
}

void WorkerPool::forget_failures(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  failures_.erase(sha256);
}

JobOutcome WorkerPool::run(const Job& job, const std::function<void()>& while_running) {
  std::exception_ptr caller_error;
  JobOutcome outcome = run_job(job, [&] {
    if (!while_running) return;
    try {
      while_running();
    } catch (...) {
      caller_error = std::current_exception();
    }
  });
  if (caller_error) std::rethrow_exception(caller_error);
  return outcome;
}

JobOutcome WorkerPool::run_job(const Job& job, const std::function<void()>& while_running) {
  std::unique_ptr<Worker> worker = acquire();
  if (!worker) {
    std::string error;
    worker = spawn(error);
    if (!worker) {
      {
        std::lock_guard lock(mutex_);
        --live_;
      }
      idle_changed_.notify_one();
      while_running();
      return Failure{FailureReason::protocol, "cannot start a worker: " + error};
    }
  }
  const auto report = [this](const Failure& failure) {
    if (options_.on_event) options_.on_event(to_string(failure.reason));
    return failure;
  };
  if (!write_frames(worker->fd, encode_job_header(job), job.input)) {
    while_running();
    return report(bury(std::move(worker), FailureReason::crashed, "worker gone while receiving the job"));
  }
  while_running();
  std::chrono::seconds timeout;
  {
    std::lock_guard lock(mutex_);
    timeout = timeout_;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string header;
  std::string output;
  FrameStatus status = read_frame(worker->fd, header, kMaxHeaderBytes, deadline);
  if (status == FrameStatus::ok) status = read_frame(worker->fd, output, options_.max_output_bytes, deadline);
  switch (status) {
    case FrameStatus::ok: break;
    case FrameStatus::timeout:
      return report(bury(std::move(worker), FailureReason::timeout,
                         "no answer within " + std::to_string(timeout.count()) + " s"));
    case FrameStatus::closed:
      return report(bury(std::move(worker), FailureReason::crashed, "worker ended during the job"));
    case FrameStatus::too_large:
    case FrameStatus::error:
      return report(bury(std::move(worker), FailureReason::protocol, "unreadable answer"));
  }
  DecodedResult decoded = decode_result_header(header);
  if (!decoded.ok) return report(bury(std::move(worker), FailureReason::protocol, decoded.error));
  decoded.result.output = std::move(output);
  bool shrink = false;
  {
    std::lock_guard lock(mutex_);
    shrink = live_ > options_.size;
  }
  if (decoded.retire || shrink) {
    static_cast<void>(bury(std::move(worker), FailureReason::protocol, ""));
    if (options_.on_event && decoded.retire) options_.on_event("retired");
  } else {
    release(std::move(worker));
  }
  return std::move(decoded.result);
}

}  // namespace mugai::worker
