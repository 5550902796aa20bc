// The one call from the transfer proxy into the pipeline. With a pool installed (mugai serve)
// the file is sanitised in an isolated worker (gateway/worker); without one (unit tests) in this
// process. A worker that crashes, hits a limit or times out gives a "tempfail" result: nothing
// is handed over and the user is told to try again.
#pragma once

#include <string>
#include <string_view>

#include "mugai/core/config.h"
#include "mugai/core/pipeline.h"

namespace mugai::worker {
class WorkerPool;
}

namespace mugai::transfer {

core::Result sanitise_upload(const core::Config& config, const core::Profile& profile, std::string_view bytes,
                             const std::string& untrusted_filename);

}  // namespace mugai::transfer
