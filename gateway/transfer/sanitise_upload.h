// The one call from the transfer proxy into the pipeline: worker::sanitise_isolated, so with the
// pool `mugai serve` installs the file is sanitised in an isolated worker, and a worker that
// crashes, hits a limit or times out gives a "tempfail" result (nothing is handed over).
#pragma once

#include <string>
#include <string_view>

#include "mugai/core/config.h"
#include "mugai/core/pipeline.h"

namespace mugai::transfer {

core::Result sanitise_upload(const core::Config& config, const core::Profile& profile, std::string_view bytes,
                             const std::string& untrusted_filename);

}  // namespace mugai::transfer
