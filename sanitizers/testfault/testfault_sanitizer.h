// TEST-ONLY module `test-fault` (compiled only with -DMUGAI_TEST_MODULES=ON, see README.md): on a
// magic input it misbehaves the way a broken parser would, so the isolation of the workers can be
// tested end to end. Any other text is kept unchanged.
//   MUGAI-TEST-FAULT:abort   std::abort()            -> SIGABRT (crashed)
//   MUGAI-TEST-FAULT:segv    raise(SIGSEGV)          -> SIGSEGV (crashed)
//   MUGAI-TEST-FAULT:loop    spins on the CPU        -> SIGXCPU (killed-by-limit) or timeout
//   MUGAI-TEST-FAULT:sleep   sleeps for ever         -> timeout
//   MUGAI-TEST-FAULT:alloc   allocates without bound -> RLIMIT_AS (killed-by-limit)
//   MUGAI-TEST-FAULT:socket  tries an AF_INET socket -> kept with a finding saying whether it was denied
//   MUGAI-TEST-FAULT:write   creates a file in /tmp and in its cwd -> kept with findings saying which worked
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::testfault {

class TestFaultSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "test-fault"; }
  bool handles(const FileType& type) const override;
  bool supports(std::string_view action) const override { return action == "keep"; }
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::testfault
