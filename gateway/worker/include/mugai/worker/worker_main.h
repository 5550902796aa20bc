// The hidden `mugai worker` sub-command: what a pool member runs after fork+exec of the mugai
// binary itself. It loads the configuration (and plug-ins) while it may still read them, enters
// the sandbox (sandbox.h), then answers jobs on the inherited socket until the daemon closes it.
#pragma once

#include <string>
#include <vector>

namespace mugai::worker {

// args: --fd N --scratch DIR --config-dir DIR; the configuration text arrives as the first frame. Returns the process exit status.
int worker_main(const std::vector<std::string>& args);

}  // namespace mugai::worker
