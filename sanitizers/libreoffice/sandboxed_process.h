// Runs a converter program (LibreOffice, poppler's pdftoppm) on hostile input as a confined
// subprocess: exec'd directly (no shell) with the given arguments and a minimal environment, in
// its own process group (the whole group is killed at the deadline and after exit, so helpers
// it started cannot linger), stdin/stdout/stderr on /dev/null, and, where the kernel allows it,
// in a new network namespace (no network; unprivileged users get a user namespace first, mapped
// to their own ids). Input and output files live in a private ScratchDir deleted afterwards.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::sanitizers::libreoffice {

// A fresh private directory (mkdtemp, mode 0700) removed with everything in it on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(std::string_view prefix = "mugai-soffice");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }  // empty if creation failed

 private:
  std::filesystem::path path_;
};

struct ConfinedCommand {
  std::vector<std::string> args;  // args[0]: the program's absolute path
  std::vector<std::string> env;   // "KEY=value", the whole environment
  std::chrono::steady_clock::time_point deadline;
};

enum class ProcessStatus { exited, timed_out, not_started };

struct ProcessResult {
  ProcessStatus status = ProcessStatus::not_started;
  int exit_code = -1;  // when exited normally; -1 when killed by a signal
};

ProcessResult run_confined(const ConfinedCommand& command);

bool write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace mugai::sanitizers::libreoffice
