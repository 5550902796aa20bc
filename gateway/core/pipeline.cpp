// sanitise(): parse -> identify -> decide -> act -> rebuild -> report (DESIGN.md §2).
#include "mugai/core/pipeline.h"

#include <exception>
#include <optional>

#include "header_policy.h"
#include "mugai/core/clamd_scanner.h"
#include "message_walker.h"
#include "mugai/core/digest.h"
#include "mugai/mime/build.h"
#include "mugai/mime/parse.h"
#include "notice.h"
#include "part_processor.h"

namespace mugai::core {
namespace {

void reject(Result& result, std::string code, std::string reason) {
  Report& report = result.report;
  report.verdict = "rejected";
  report.rejection_code = std::move(code);
  report.reason = std::move(reason);
  result.delivered = false;
  result.output.clear();
  report.size_after = 0;
  report.sha256_after.clear();
  // A rejection always names the part it is about; for whole-message problems that is part 1.
  for (const PartReport& part : report.parts)
    if (part.action == Action::rejected) return;
  PartReport whole;
  whole.path = "1";
  whole.role = "body";
  whole.action = Action::rejected;
  whole.module = "pipeline";
  whole.reason = report.reason;
  whole.size_before = report.size_before;
  whole.sha256_before = report.sha256_before;
  report.parts.insert(report.parts.begin(), std::move(whole));
}

void deliver(Result& result, std::string output) {
  result.delivered = true;
  result.report.verdict = "delivered";
  result.report.size_after = output.size();
  result.report.sha256_after = sha256_hex(output);
  result.output = std::move(output);
}

std::string join_body(const std::string& notice, const std::vector<std::string>& segments) {
  std::string body = notice;
  if (!body.empty() && body.back() != '\n') body.push_back('\n');
  for (const std::string& segment : segments) {
    body += "\n";
    body += segment;
    if (!segment.empty() && segment.back() != '\n') body.push_back('\n');
  }
  return body;
}

void sanitise_message(const Request& request, const Config& config, const Profile& profile,
                      Context& context, Result& result) {
  mime::ParseResult parsed = mime::parse(request.input, config.limits);
  if (!parsed.root) return reject(result, parsed.rejection_code, parsed.rejection_reason);

  MessageWalker walker(profile, context, result.report);
  walker.walk(*parsed.root);
  if (walker.rejected()) return reject(result, walker.rejection_code(), walker.rejection_reason());

  mime::OutMessage message;
  message.headers = safe_headers(parsed.root->headers, result.report.findings);
  message.headers.push_back({"X-Mugai-Verdict", "delivered"});
  message.headers.push_back({"X-Mugai-Profile", profile.name});
  message.headers.push_back({"X-Mugai-Quarantine-Id", result.report.quarantine_id});
  message.body_utf8 = join_body(render_notice(config.notice_template_ja_en, result.report, config.release.base_url),
                                walker.body_segments());
  message.body_charset = profile.output_charset;
  message.attachments = std::move(walker.attachments());
  deliver(result, mime::build(message));
}

void sanitise_file(const Request& request, Context& context, const Profile& profile, Result& result) {
  LeafInput input{"1", request.input, "", "", request.filename, false};
  LeafResult leaf = process_leaf(input, profile, context);
  leaf.report.role = "attachment";
  if (!leaf.delivered) {
    // A file is all or nothing: anything but delivery is a rejection of the whole.
    const std::string how = leaf.report.action == Action::held ? " (held in quarantine)" : "";
    leaf.report.action = Action::rejected;
    result.report.parts.push_back(leaf.report);
    return reject(result, "policy." + leaf.report.detected_class, leaf.report.reason + how);
  }
  result.output_filename = leaf.delivered->filename;
  result.report.parts.push_back(leaf.report);
  if (!leaf.extracted.empty())
    result.report.findings.push_back({"file.embedded-content",
                                      std::to_string(leaf.extracted.size()) +
                                          " embedded block(s) removed from the file"});
  deliver(result, std::move(leaf.delivered->bytes));
}

}  // namespace

Result sanitise(const Request& request, const Config& config, const Profile& profile) {
  Result result;
  Report& report = result.report;
  report.kind = request.kind == InputKind::message ? "message" : "file";
  report.profile = profile.name;
  report.size_before = request.input.size();
  report.sha256_before = request.input_sha256.empty() ? sha256_hex(request.input) : request.input_sha256;
  report.quarantine_id = report.sha256_before;

  Context context{config.limits,
                  std::chrono::steady_clock::now() + std::chrono::seconds(config.limits.max_seconds)};
  context.passwords = request.archive_passwords;
  // The one I/O the pipeline does on the profile's request: the scanner is local (UNIX socket),
  // bounded by its own timeout and fails closed (tempfail), see clamd_scanner.h.
  std::optional<ClamdScanner> scanner;
  if (profile.malware_scan == "clamd") {
    scanner.emplace(config.clamd.socket, config.clamd.timeout_seconds);
    context.scan = [&scanner](std::string_view bytes) { return scanner->scan(bytes); };
    report.malware_scan = "clamd";
  }
  if (request.input.size() > config.limits.max_message_bytes) {
    reject(result, "limit.max-message-bytes",
           "size " + std::to_string(request.input.size()) + " > limit " +
               std::to_string(config.limits.max_message_bytes) + " bytes");
    return result;
  }
  try {
    if (request.kind == InputKind::message)
      sanitise_message(request, config, profile, context, result);
    else
      sanitise_file(request, context, profile, result);
  } catch (const std::bad_alloc&) {
    reject(result, "limit.memory", "out of memory while processing");
  } catch (const std::exception& error) {
    // Never let an internal failure turn into a delivery.
    reject(result, "internal.error", std::string("internal error: ") + error.what());
  }
  if (!context.tempfail_reason.empty()) {
    reject(result, "scan.unavailable", context.tempfail_reason);
    result.report.verdict = "tempfail";
    result.tempfail = true;
  }
  return result;
}

}  // namespace mugai::core
