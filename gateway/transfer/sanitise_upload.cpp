#include "sanitise_upload.h"

#include <atomic>

#include "mugai/core/digest.h"
#include "mugai/transfer/worker_pool_hook.h"
#include "mugai/worker/worker_pool.h"

namespace mugai::transfer {
namespace {

std::atomic<worker::WorkerPool*> installed_pool{nullptr};

}  // namespace

void use_worker_pool(worker::WorkerPool* pool) { installed_pool.store(pool); }

core::Result sanitise_upload(const core::Config& config, const core::Profile& profile, std::string_view bytes,
                             const std::string& untrusted_filename) {
  worker::WorkerPool* pool = installed_pool.load();
  if (pool == nullptr) {
    core::Request request;
    request.input = bytes;
    request.kind = core::InputKind::file;
    request.filename = untrusted_filename;  // cleaned inside the pipeline (core/filename.h)
    return core::sanitise(request, config, profile);
  }
  worker::Job job;
  job.kind = core::InputKind::file;
  job.profile = profile.name;
  job.filename = untrusted_filename;  // cleaned inside the worker's pipeline
  job.input = bytes;
  worker::JobOutcome ran = pool->run(job);
  if (auto* result = std::get_if<core::Result>(&ran)) return std::move(*result);
  const auto& failure = std::get<worker::Failure>(ran);
  core::Result failed;
  failed.tempfail = true;
  failed.report.verdict = "tempfail";
  failed.report.kind = "file";
  failed.report.profile = profile.name;
  failed.report.rejection_code = "sanitiser-failure";
  failed.report.reason = "the sanitiser worker " + std::string(worker::to_string(failure.reason)) +
                         "; nothing was transferred, try again later";
  failed.report.size_before = bytes.size();
  failed.report.sha256_before = core::sha256_hex(bytes);
  failed.report.quarantine_id = failed.report.sha256_before;
  return failed;
}

}  // namespace mugai::transfer
