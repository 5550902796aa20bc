// What the daemon and a worker say to each other. One job = two frames each way:
//   request:  JSON header {"kind": "message"|"file", "profile", "filename", "mail_from",
//             "rcpt_to", "archive_passwords_hex" (PPAP release only)}, then the input bytes
//   response: JSON header {"status": "ok"|"error", "error", "delivered", "tempfail",
//             "output_filename", "verdict", "rejects": !delivered, "report": {...}, "retire"},
//             then the output bytes
// The report travels as the same JSON the report files use (core::Report::to_json) and is read
// back field by field, so the daemon's audit line and quarantine entry are the worker's report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/core/pipeline.h"
#include "mugai/core/report.h"

namespace mugai::worker {

struct Job {
  core::InputKind kind = core::InputKind::message;
  std::string profile;               // name of a profile in the worker's configuration
  std::string filename;              // file mode only
  std::string mail_from;             // envelope, for the worker's logs and future per-sender rules
  std::vector<std::string> rcpt_to;
  std::string_view input;            // not owned; sent as the second frame
  std::string input_sha256;          // optional: core::Request::input_sha256
  // PPAP release: passwords to try on encrypted archives. They cross the private socket pair
  // only; neither side logs a job header.
  std::vector<std::string> archive_passwords;
};

// Frames of the request / response (header JSON text, body bytes).
std::string encode_job_header(const Job& job);
// nullopt when the header is not a job (protocol error); `input` is left empty.
std::optional<Job> decode_job_header(const std::string& header);

std::string encode_result_header(const core::Result& result, bool retire);
std::string encode_error_header(const std::string& error);

struct DecodedResult {
  bool ok = false;           // false: the worker answered "error" (error says why) or garbage
  std::string error;
  bool retire = false;       // the worker used up its lifetime CPU budget and exits
  core::Result result;       // output is filled in from the second frame by the caller
};
DecodedResult decode_result_header(const std::string& header);

// core::Report <-> JSON text (the schema of Report::to_json).
std::optional<core::Report> report_from_json(const std::string& json_text);

}  // namespace mugai::worker
