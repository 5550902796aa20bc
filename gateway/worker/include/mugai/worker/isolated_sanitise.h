// The one way code outside the SMTP session (file-transfer uploads, PPAP releases, the CLI)
// sanitises untrusted bytes: in a worker of the pool installed here, or in this process when no
// pool is installed (unit tests). A worker that crashes, hits a limit or times out gives a
// "tempfail" Result naming the reason: nothing is delivered and the caller says "try again".
#pragma once

#include "mugai/core/config.h"
#include "mugai/core/pipeline.h"
#include "mugai/worker/protocol.h"

namespace mugai::worker {

class WorkerPool;

// `mugai serve` installs its pool once at start; nullptr uninstalls it.
void install_pool(WorkerPool* pool);
WorkerPool* installed_pool();

// `job.profile` must name `profile` (the worker looks it up in its own copy of the configuration).
core::Result sanitise_isolated(const Job& job, const core::Config& config, const core::Profile& profile);

}  // namespace mugai::worker
