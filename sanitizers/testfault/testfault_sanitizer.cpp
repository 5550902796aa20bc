#include "testfault_sanitizer.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <list>
#include <thread>
#include <vector>

namespace mugai::sanitizers::testfault {
namespace {

constexpr std::string_view kMagic = "MUGAI-TEST-FAULT:";

[[noreturn]] void spin() {
  volatile std::uint64_t counter = 0;
  for (;;) counter = counter + 1;
}

[[noreturn]] void sleep_for_ever() {
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

[[noreturn]] void allocate_for_ever() {
  std::list<std::vector<char>> blocks;
  for (;;) blocks.emplace_back(64 << 20, 'x');  // touched: really resident, not just reserved
}

}  // namespace

bool TestFaultSanitizer::handles(const FileType& type) const { return type.cls == TypeClass::text; }

Outcome TestFaultSanitizer::run(const Part& in, std::string_view, const ModuleOptions&, Context&) const {
  Outcome outcome;
  outcome.action = Action::kept;
  outcome.bytes = std::string(in.bytes);
  outcome.content_type = "text/plain";
  outcome.reason = "test-fault: no magic word, kept";
  const std::size_t at = in.bytes.find(kMagic);
  if (at == std::string_view::npos) return outcome;
  const std::string_view what = in.bytes.substr(at + kMagic.size());
  if (what.starts_with("abort")) std::abort();
  if (what.starts_with("segv")) std::raise(SIGSEGV);
  if (what.starts_with("loop")) spin();
  if (what.starts_with("sleep")) sleep_for_ever();
  if (what.starts_with("alloc")) allocate_for_ever();
  if (what.starts_with("write")) {
    // Outside the scratch directory (world-writable /tmp) and inside it (the working directory).
    const std::string outside = "/tmp/mugai-test-fault-" + std::to_string(::getpid());
    const int out_fd = ::open(outside.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (out_fd >= 0) {
      ::close(out_fd);
      ::unlink(outside.c_str());
      outcome.findings.push_back({"test-fault.write-outside-allowed", outside});
    } else {
      outcome.findings.push_back({"test-fault.write-outside-denied", std::strerror(errno)});
    }
    const int in_fd = ::open("probe.tmp", O_WRONLY | O_CREAT | O_EXCL, 0600);
    outcome.findings.push_back({in_fd >= 0 ? "test-fault.write-scratch-ok" : "test-fault.write-scratch-denied", ""});
    if (in_fd >= 0) {
      ::close(in_fd);
      ::unlink("probe.tmp");
    }
    outcome.reason = "test-fault: write probe";
  }
  if (what.starts_with("socket")) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int error = errno;
    if (fd >= 0) {
      ::close(fd);
      outcome.findings.push_back({"test-fault.socket-allowed", "socket(AF_INET) succeeded"});
    } else {
      outcome.findings.push_back({"test-fault.socket-denied", std::strerror(error)});
    }
    outcome.reason = "test-fault: socket probe";
  }
  return outcome;
}

}  // namespace mugai::sanitizers::testfault
