#include "mugai/worker/worker_main.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "mugai/core/config_loader.h"
#include "mugai/worker/frame.h"
#include "mugai/worker/heap_policy.h"
#include "mugai/worker/plugin_describer.h"
#include "mugai/worker/protocol.h"
#include "mugai/worker/sandbox.h"

#include "mugai/worker/asan_build.h"

namespace mugai::worker {
namespace {

constexpr int kExitUsage = 64;
constexpr int kExitConfig = 78;
constexpr int kExitSandbox = 71;

// Jobs from this size on may leave megabytes of free heap behind: trimmed after them (a trim after
// every small job cost a fifth of the small-mail throughput: 382 against 468 msg/s).
constexpr std::size_t kTrimAfterBytes = 256 * 1024;

// Frames larger than this are refused before allocation (the daemon already bounds messages).
constexpr std::uint64_t kMaxHeaderBytes = 1 << 20;

// The first frame is the configuration text the daemon accepted.
std::optional<core::Config> load(int fd, const std::string& base_dir) {
  std::string text;
  if (read_frame(fd, text, core::kMaxConfigFileBytes, std::nullopt) != FrameStatus::ok) return std::nullopt;
  core::LoadResult loaded = core::load_config_text(text, base_dir);
  if (!loaded.config) {
    for (const core::ConfigError& error : loaded.errors)
      std::cerr << core::format_config_error("(worker configuration)", error) << "\n";
    return std::nullopt;
  }
  return std::move(*loaded.config);
}

bool answer(int fd, const core::Config& config, const Job& job, std::string input, bool retire) {
  const auto profile = config.profiles.find(job.profile);
  if (profile == config.profiles.end())
    return write_frames(fd, encode_error_header("unknown profile " + job.profile), "");
  core::Request request;
  request.input = input;
  request.kind = job.kind;
  request.filename = job.filename;
  request.input_sha256 = job.input_sha256;
  request.archive_passwords = job.archive_passwords;
  core::Result result;
  try {
    result = core::sanitise(request, config, profile->second);
  } catch (const std::exception& error) {
    return write_frames(fd, encode_error_header(std::string("pipeline: ") + error.what()), "");
  }
  return write_frames(fd, encode_result_header(result, retire), result.output);
}

}  // namespace

int worker_main(const std::vector<std::string>& args) {
  if (!args.empty() && args.front() == "--describe-plugin") return describe_plugin_main(args);
  int fd = -1;
  std::string config_dir;
  SandboxSettings settings;
  [[maybe_unused]] std::uint64_t memory_mb = 0;  // ASan builds: the pool sets hard_rss_limit_mb instead
  bool numbers_ok = true;
  const auto number = [&](const std::string& text) -> std::uint64_t {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0') numbers_ok = false;
    return value;
  };
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--fd") fd = std::atoi(args[i + 1].c_str());
    else if (args[i] == "--config-dir") config_dir = args[i + 1];
    else if (args[i] == "--scratch") settings.scratch_dir = args[i + 1];
    else if (args[i] == "--memory-mb") memory_mb = number(args[i + 1]);
    else if (args[i] == "--cpu-seconds") settings.cpu_seconds_per_job = number(args[i + 1]);
    else if (args[i] == "--user") settings.user = args[i + 1];
    else return kExitUsage;
  }
  if (fd < 0 || args.size() % 2 != 0 || !numbers_ok) {
    std::cerr << "mugai worker: internal sub-command of mugai serve (usage: worker --fd N --scratch DIR --config-dir DIR"
                 " --memory-mb N --cpu-seconds N --user USER; configuration text as the first frame)\n";
    return kExitUsage;
  }
#ifndef MUGAI_WORKER_ASAN
  settings.memory_bytes = memory_mb << 20;
#endif
  // Confined before the configuration is read: loading it loads the vendor plug-ins, whose
  // load-time code must not run outside the sandbox (or as root).
  if (const std::string problem = enter_sandbox(settings); !problem.empty()) {
    std::cerr << "mugai worker: cannot enter the sandbox: " << problem << "\n";
    return kExitSandbox;
  }
  bound_heap_growth();
  const std::optional<core::Config> config = load(fd, config_dir);
  if (!config) return kExitConfig;
  const std::uint64_t max_input = config->limits.max_message_bytes + (1 << 20);
  for (;;) {
    std::string header;
    std::string input;
    if (read_frame(fd, header, kMaxHeaderBytes, std::nullopt) != FrameStatus::ok) break;
    if (read_frame(fd, input, max_input, std::nullopt) != FrameStatus::ok) break;
    const std::optional<Job> job = decode_job_header(header);
    if (!job) {
      static_cast<void>(write_frames(fd, encode_error_header("malformed job"), ""));
      break;
    }
    const bool retire = !arm_cpu_limit(settings.cpu_seconds_per_job);
    const bool large = input.size() >= kTrimAfterBytes;
    if (!answer(fd, *config, *job, std::move(input), retire) || retire) break;
    if (large) release_free_heap();  // a large job's heap is given back while the worker waits
  }
  return 0;
}

}  // namespace mugai::worker
