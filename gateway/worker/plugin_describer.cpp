#include "mugai/worker/plugin_describer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "mugai/worker/sandbox.h"

#include "mugai/worker/asan_build.h"

extern char** environ;

namespace mugai::worker {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kAnswerFd = 3;
constexpr std::size_t kMaxAnswerBytes = 64 << 10;
constexpr std::chrono::seconds kDescribeTimeout{20};
[[maybe_unused]] constexpr std::uint64_t kDescribeMemoryBytes = 1ull << 30;  // not applied under ASan
constexpr std::uint64_t kDescribeCpuSeconds = 10;

// Reads everything the helper writes until it closes the pipe, the size bound or the deadline.
bool read_answer(int fd, std::string& answer, Clock::time_point deadline) {
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd watch{fd, POLLIN, 0};
    const int ready = ::poll(&watch, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return got == 0;
    answer.append(buffer, static_cast<std::size_t>(got));
    if (answer.size() > kMaxAnswerBytes) return false;
  }
}

std::string exit_text(int status) {
  if (WIFSIGNALED(status)) return "the plug-in crashed while loading (signal " + std::to_string(WTERMSIG(status)) + ")";
  return "the plug-in could not be loaded (helper exit " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace

std::optional<sanitizers::plugin::PluginDescription> describe_plugin_isolated(const std::string& path,
                                                                             const std::string& user,
                                                                             std::string& error) {
  std::string scratch = (std::filesystem::temp_directory_path() / "mugai-describe-XXXXXX").string();
  if (::mkdtemp(scratch.data()) == nullptr) {
    error = std::string("cannot create a scratch directory: ") + std::strerror(errno);
    return std::nullopt;
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    std::filesystem::remove_all(scratch);
    return std::nullopt;
  }
  std::vector<std::string> args{"/proc/self/exe", "worker", "--describe-plugin", path, "--scratch", scratch,
                                "--user", user};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], kAnswerFd);  // dup2 clears O_CLOEXEC
  posix_spawn_file_actions_addclosefrom_np(&actions, kAnswerFd + 1);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);  // the daemon blocks SIGTERM/HUP for sigwait
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    std::filesystem::remove_all(scratch);
    error = std::string("cannot start the plug-in helper: ") + std::strerror(spawned);
    return std::nullopt;
  }
  std::string answer;
  const bool complete = read_answer(pipe_fds[0], answer, Clock::now() + kDescribeTimeout);
  ::close(pipe_fds[0]);
  if (!complete) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  if (!complete) {
    error = "the plug-in did not describe itself within " + std::to_string(kDescribeTimeout.count()) + " s";
    return std::nullopt;
  }
  const Json json = Json::parse(answer, nullptr, false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    error = json["error"].get<std::string>();
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !json.is_object()) {
    error = exit_text(status);
    return std::nullopt;
  }
  try {
    sanitizers::plugin::PluginDescription description;
    description.name = json.at("name").get<std::string>();
    description.mime_types = json.at("mime_types").get<std::vector<std::string>>();
    description.actions = json.at("actions").get<std::vector<std::string>>();
    return description;
  } catch (const std::exception&) {
    error = "the plug-in helper's answer is malformed";
    return std::nullopt;
  }
}

int describe_plugin_main(const std::vector<std::string>& args) {
  std::string path;
  SandboxSettings settings;
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--describe-plugin") path = args[i + 1];
    else if (args[i] == "--scratch") settings.scratch_dir = args[i + 1];
    else if (args[i] == "--user") settings.user = args[i + 1];
    else return 64;
  }
  const auto say = [](const Json& json) {
    const std::string text = json.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t wrote = ::write(kAnswerFd, text.data() + done, text.size() - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) break;
      done += static_cast<std::size_t>(wrote);
    }
  };
  if (path.empty() || settings.scratch_dir.empty()) {
    say({{"error", "usage: worker --describe-plugin PATH --scratch DIR [--user USER]"}});
    std::_Exit(64);
  }
#ifndef MUGAI_WORKER_ASAN
  settings.memory_bytes = kDescribeMemoryBytes;
#endif
  settings.cpu_seconds_per_job = kDescribeCpuSeconds;
  settings.jobs_per_cpu_budget = 1;
  if (const std::string problem = enter_sandbox(settings); !problem.empty()) {
    say({{"error", "cannot enter the sandbox to read the plug-in: " + problem}});
    std::_Exit(71);
  }
  std::string why;
  // The plug-in's load-time code runs here, confined; the daemon only reads the answer.
  const std::optional<sanitizers::plugin::PluginDescription> description =
      sanitizers::plugin::read_plugin_description(path, why);
  if (!description) {
    say({{"error", why}});
    std::_Exit(1);
  }
  say({{"name", description->name}, {"mime_types", description->mime_types}, {"actions", description->actions}});
  std::_Exit(0);
}

}  // namespace mugai::worker
