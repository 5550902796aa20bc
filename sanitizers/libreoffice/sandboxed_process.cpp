#include "libreoffice/sandboxed_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <thread>

namespace mugai::sanitizers::libreoffice {
namespace {

namespace fs = std::filesystem;

// Identity maps for an unprivileged user namespace, formatted before fork.
struct IdMaps {
  std::string uid_map;
  std::string gid_map;
};

void write_proc(const char* path, const std::string& text) {
  const int fd = ::open(path, O_WRONLY);
  if (fd < 0) return;
  (void)!::write(fd, text.data(), text.size());
  ::close(fd);
}

// Child side, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp, const char* null_device,
                             const IdMaps& maps) {
  ::setpgid(0, 0);
  // stdio first: inside a user namespace device nodes may no longer open.
  const int null_fd = ::open(null_device, O_RDWR);
  if (null_fd >= 0) {
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(null_fd, 2);
  }
  // No network for the converter: a new network namespace has only a down loopback. Root can
  // create one directly; others need a user namespace first, mapped to their own ids so files
  // in the private directory can still be written.
  if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
    write_proc("/proc/self/setgroups", "deny");
    write_proc("/proc/self/uid_map", maps.uid_map);
    write_proc("/proc/self/gid_map", maps.gid_map);
  }
  ::execve(program, argv, envp);
  ::_exit(127);
}

}  // namespace

ScratchDir::ScratchDir(std::string_view prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data())) path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  if (!path_.empty()) fs::remove_all(path_, ignored);
}

bool write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

ProcessResult run_confined(const ConfinedCommand& command) {
  ProcessResult result;
  if (command.args.empty()) return result;
  // Everything exec needs is built before fork: the child may only make system calls.
  std::vector<std::string> args = command.args;
  std::vector<std::string> env = command.env;
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const IdMaps maps{std::to_string(::getuid()) + " " + std::to_string(::getuid()) + " 1",
                    std::to_string(::getgid()) + " " + std::to_string(::getgid()) + " 1"};
  const pid_t child = ::fork();
  if (child < 0) return result;
  if (child == 0) exec_child(argv[0], argv.data(), envp.data(), "/dev/null", maps);
  ::setpgid(child, child);  // also from the parent: no race with the kill below

  int status = 0;
  bool finished = false;
  while (!finished) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child || (done < 0 && errno != EINTR)) {
      finished = true;
      break;
    }
    if (std::chrono::steady_clock::now() > command.deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Kill the whole group in both cases: helpers may outlive the program that started them.
  ::kill(-child, SIGKILL);
  if (!finished) {
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = ProcessStatus::timed_out;
    return result;
  }
  result.status = ProcessStatus::exited;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace mugai::sanitizers::libreoffice
