// The pool with real processes: the mugai binary itself as worker, and stand-in programs that
// crash, hang or cannot start, to prove each ending is named and the pool carries on.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mugai/core/config_loader.h"
#include "mugai/worker/worker_pool.h"

using namespace mugai;

namespace {

std::string read_sample(const std::string& name) {
  std::ifstream in(std::string(MUGAI_SOURCE_DIR) + "/samples/mail/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A stand-in worker: a shell script with the given body.
std::string script(const std::string& name, const std::string& body) {
  const auto path = std::filesystem::temp_directory_path() / ("mugai-pool-test-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path.string();
}

// A stand-in that fails only once its job has arrived: one that dies before reading its
// configuration is a worker that could not start (protocol), and the test would race the pool's
// write of the configuration against the child's exit. grep -q stops at the job's marker line.
std::string after_job(const std::string& then) { return "grep -q -a -m1 mugai-pool-test-job <&3\n" + then; }

// The job an after_job() stand-in waits for.
worker::Job marked_job() {
  worker::Job job;
  job.profile = "lgwan-strict";
  job.input = "mugai-pool-test-job\n";
  return job;
}

worker::PoolOptions options(std::string executable, std::vector<std::string>* events = nullptr) {
  worker::PoolOptions pool;
  pool.executable = std::move(executable);
  pool.config_text = std::string(core::embedded_config_text());
  pool.size = 2;
  pool.timeout = std::chrono::seconds(3);
  if (events) pool.on_event = [events](std::string_view event) { events->emplace_back(event); };
  return pool;
}

}  // namespace

TEST_CASE("a job run in a mugai worker gives the in-process result") {
  const std::string message = read_sample("exe-double-extension.eml");
  const core::Config& config = core::embedded_config();
  const core::Profile& profile = config.profiles.at("lgwan-strict");
  core::Request request;
  request.input = message;
  const core::Result local = core::sanitise(request, config, profile);

  std::vector<std::string> events;
  worker::WorkerPool pool(options(MUGAI_BINARY, &events));
  worker::Job job;
  job.profile = "lgwan-strict";
  job.input = message;
  for (int round = 0; round < 3; ++round) {  // the same worker is reused
    worker::JobOutcome outcome = pool.run(job);
    INFO((std::holds_alternative<worker::Failure>(outcome) ? std::get<worker::Failure>(outcome).detail : ""));
    REQUIRE(std::holds_alternative<core::Result>(outcome));
    const core::Result& remote = std::get<core::Result>(outcome);
    CHECK(remote.delivered == local.delivered);
    CHECK(remote.report.verdict == local.report.verdict);
    CHECK(remote.report.parts.size() == local.report.parts.size());
    CHECK(remote.report.sha256_before == local.report.sha256_before);
  }
  CHECK(events == std::vector<std::string>{"started"});
  CHECK(pool.live_workers() == 1);

  // A digest the daemon computed already is taken as given, not hashed again (a made-up one
  // shows which was used).
  job.input_sha256 = std::string(64, 'b');
  worker::JobOutcome known = pool.run(job);
  REQUIRE(std::holds_alternative<core::Result>(known));
  CHECK(std::get<core::Result>(known).report.sha256_before == job.input_sha256);
  CHECK(std::get<core::Result>(known).output == local.output);
  job.input_sha256.clear();

  job.profile = "no-such-profile";
  const worker::JobOutcome unknown = pool.run(job);
  REQUIRE(std::holds_alternative<worker::Failure>(unknown));
  CHECK(std::get<worker::Failure>(unknown).reason == worker::FailureReason::protocol);
}

TEST_CASE("a worker that dies of a signal is reported as crashed and replaced") {
  std::vector<std::string> events;
  worker::WorkerPool pool(options(script("segv", after_job("kill -SEGV $$")), &events));
  const worker::Job job = marked_job();
  for (int round = 0; round < 2; ++round) {
    const worker::JobOutcome outcome = pool.run(job);
    REQUIRE(std::holds_alternative<worker::Failure>(outcome));
    const auto& failure = std::get<worker::Failure>(outcome);
    CHECK(failure.reason == worker::FailureReason::crashed);
    CHECK(failure.detail.find("signal 11") != std::string::npos);
  }
  CHECK(events == std::vector<std::string>{"started", "crashed", "started", "crashed"});
  CHECK(pool.live_workers() == 0);
}

TEST_CASE("a worker that closes its socket but lingers is killed and reported as crashed, not as a limit") {
  std::vector<std::string> events;
  worker::WorkerPool pool(options(script("linger", after_job("exec 3>&-\nexec sleep 30")), &events));
  const worker::Job job = marked_job();
  const worker::JobOutcome outcome = pool.run(job);
  REQUIRE(std::holds_alternative<worker::Failure>(outcome));
  const auto& failure = std::get<worker::Failure>(outcome);
  CHECK(failure.reason == worker::FailureReason::crashed);
  CHECK(failure.detail.find("still running 1 s after closing its socket") != std::string::npos);
}

TEST_CASE("a worker that does not answer in time is killed: timeout") {
  worker::WorkerPool pool(options(script("hang", "exec sleep 600")));
  worker::Job job;
  job.profile = "lgwan-strict";
  job.input = "x";
  const worker::JobOutcome outcome = pool.run(job);
  REQUIRE(std::holds_alternative<worker::Failure>(outcome));
  CHECK(std::get<worker::Failure>(outcome).reason == worker::FailureReason::timeout);
  CHECK(pool.live_workers() == 0);
}

TEST_CASE("a worker that cannot start is a protocol failure, not the message's fault") {
  worker::WorkerPool pool(options("/nonexistent/mugai"));
  worker::Job job;
  job.profile = "lgwan-strict";
  job.input = "x";
  const worker::JobOutcome outcome = pool.run(job);
  REQUIRE(std::holds_alternative<worker::Failure>(outcome));
  CHECK(std::get<worker::Failure>(outcome).reason == worker::FailureReason::protocol);
}

TEST_CASE("failures are counted per message and forgotten on demand") {
  worker::WorkerPool pool(options(MUGAI_BINARY));
  CHECK(pool.note_failure("aa") == 1);
  CHECK(pool.note_failure("aa") == 2);
  CHECK(pool.note_failure("bb") == 1);
  pool.forget_failures("aa");
  CHECK(pool.note_failure("aa") == 1);
}
