// The worker's answer carries the whole report: what the daemon audits and quarantines must be
// exactly what the worker's pipeline decided.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "mugai/core/config_loader.h"
#include "mugai/core/pipeline.h"
#include "mugai/worker/protocol.h"

using namespace mugai;

namespace {

std::string read_sample(const std::string& name) {
  std::ifstream in(std::string(MUGAI_SOURCE_DIR) + "/samples/mail/" + name, std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a pipeline result survives the trip through the response header") {
  const core::Config& config = core::embedded_config();
  const std::string message = read_sample(GENERATE(as<std::string>{}, "alternative.eml", "exe-double-extension.eml", "forwarded-rfc822.eml"));
  core::Request request;
  request.input = message;
  const core::Result result = core::sanitise(request, config, config.profiles.begin()->second);
  const worker::DecodedResult decoded = worker::decode_result_header(worker::encode_result_header(result, true));
  REQUIRE(decoded.ok);
  CHECK(decoded.retire);
  CHECK(decoded.result.delivered == result.delivered);
  CHECK(decoded.result.tempfail == result.tempfail);
  CHECK(decoded.result.report.to_json() == result.report.to_json());
}

TEST_CASE("jobs round-trip, malformed headers and error answers are named") {
  worker::Job job;
  job.kind = core::InputKind::file;
  job.profile = "lgwan-strict";
  job.filename = "請求書.pdf";
  job.rcpt_to = {"a@b.example"};
  const std::optional<worker::Job> back = worker::decode_job_header(worker::encode_job_header(job));
  REQUIRE(back);
  CHECK(back->kind == core::InputKind::file);
  CHECK(back->filename == job.filename);
  CHECK(back->rcpt_to == job.rcpt_to);
  CHECK(back->input_sha256.empty());  // not sent: the worker hashes the input itself
  job.input_sha256 = std::string(64, 'a');
  const std::optional<worker::Job> with_digest = worker::decode_job_header(worker::encode_job_header(job));
  REQUIRE(with_digest);
  CHECK(with_digest->input_sha256 == job.input_sha256);
  job.input_sha256 = "../not-a-digest";
  CHECK_FALSE(worker::decode_job_header(worker::encode_job_header(job)));
  CHECK_FALSE(worker::decode_job_header("{\"kind\":\"exe\"}"));
  CHECK_FALSE(worker::decode_job_header("not json"));
  const worker::DecodedResult error = worker::decode_result_header(worker::encode_error_header("boom"));
  CHECK_FALSE(error.ok);
  CHECK(error.error == "boom");
  const worker::DecodedResult garbage = worker::decode_result_header("{\"status\":\"ok\"}");
  CHECK_FALSE(garbage.ok);
  CHECK(garbage.error.find("malformed") != std::string::npos);
}

TEST_CASE("release passwords cross as bytes, never as text in the header") {
  worker::Job job;
  job.profile = "lgwan-strict";
  // UTF-8, CP932 bytes (not valid UTF-8) and a NUL: all must arrive unchanged.
  job.archive_passwords = {"ppap-パス-2024", std::string("\x83\x70\x83\x58", 4), std::string("a\0b", 3)};
  const std::string header = worker::encode_job_header(job);
  CHECK(header.find("ppap") == std::string::npos);
  const std::optional<worker::Job> back = worker::decode_job_header(header);
  REQUIRE(back);
  CHECK(back->archive_passwords == job.archive_passwords);
  CHECK(worker::decode_job_header(worker::encode_job_header(worker::Job{}))->archive_passwords.empty());
  CHECK_FALSE(worker::decode_job_header(
      R"({"kind":"file","profile":"p","filename":"","mail_from":"","rcpt_to":[],"archive_passwords_hex":["zz"]})"));
}
