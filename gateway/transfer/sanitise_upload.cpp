#include "sanitise_upload.h"

#include "mugai/worker/isolated_sanitise.h"

namespace mugai::transfer {

core::Result sanitise_upload(const core::Config& config, const core::Profile& profile, std::string_view bytes,
                             const std::string& untrusted_filename) {
  worker::Job job;
  job.kind = core::InputKind::file;
  job.profile = profile.name;
  job.filename = untrusted_filename;  // cleaned inside the pipeline (core/filename.h)
  job.input = bytes;
  return worker::sanitise_isolated(job, config, profile);
}

}  // namespace mugai::transfer
