#include "mugai/worker/isolated_sanitise.h"

#include <atomic>

#include "mugai/core/digest.h"
#include "mugai/worker/worker_pool.h"

namespace mugai::worker {
namespace {

std::atomic<WorkerPool*> installed{nullptr};

core::Result worker_failed(const Job& job, const std::string& profile, const Failure& failure) {
  core::Result failed;
  failed.tempfail = true;
  failed.report.verdict = "tempfail";
  failed.report.kind = job.kind == core::InputKind::file ? "file" : "message";
  failed.report.profile = profile;
  failed.report.rejection_code = "sanitiser-failure";
  failed.report.reason = "the sanitiser worker " + std::string(to_string(failure.reason)) + " (" + failure.detail +
                         "); nothing was delivered, try again later";
  failed.report.size_before = job.input.size();
  failed.report.sha256_before = core::sha256_hex(job.input);
  failed.report.quarantine_id = failed.report.sha256_before;
  return failed;
}

}  // namespace

void install_pool(WorkerPool* pool) { installed.store(pool); }

WorkerPool* installed_pool() { return installed.load(); }

core::Result sanitise_isolated(const Job& job, const core::Config& config, const core::Profile& profile) {
  WorkerPool* pool = installed.load();
  if (pool == nullptr) {
    core::Request request;
    request.input = job.input;
    request.input_sha256 = job.input_sha256;
    request.kind = job.kind;
    request.filename = job.filename;
    request.archive_passwords = job.archive_passwords;
    return core::sanitise(request, config, profile);
  }
  JobOutcome ran = pool->run(job);
  if (auto* result = std::get_if<core::Result>(&ran)) return std::move(*result);
  return worker_failed(job, profile.name, std::get<Failure>(ran));
}

}  // namespace mugai::worker
