// mugai sanitize: one message or one file through the pipeline, from the command line. The
// contract (options, exit codes 0/2/other, report schema) is used by external test harnesses.
// The pipeline runs in one sandboxed worker process like the daemon's (isolated_cli.h);
// --in-process runs it here instead, for a debugger or valgrind.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "isolated_cli.h"
#include "mugai/core/pipeline.h"
#include "mugai/core/quarantine.h"
#include "mugai/core/report.h"
#include "mugai/worker/isolated_sanitise.h"
#include "plugin_loader.h"

namespace mugai::cli {
namespace {

constexpr int kExitRejected = 2;
constexpr int kExitTempfail = 75;  // EX_TEMPFAIL: a required check (malware scan) could not be made

struct SanitizeOptions {
  std::string config_path;
  std::string profile;
  std::string report_path;
  std::string input;
  std::string output = "-";
  std::string sender;
  std::vector<std::string> recipients;
  bool file_mode = false;
  bool quarantine = true;
  bool in_process = false;
};

std::optional<SanitizeOptions> parse_options(const Args& args) {
  SanitizeOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size()) return false;
      target = args[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--config") ok = value(options.config_path);
    else if (arg == "--profile") ok = value(options.profile);
    else if (arg == "--report") ok = value(options.report_path);
    else if (arg == "-o" || arg == "--output") ok = value(options.output);
    else if (arg == "--from") ok = value(options.sender);
    else if (arg == "--to") {
      std::string recipient;
      ok = value(recipient);
      options.recipients.push_back(recipient);
    } else if (arg == "--file") options.file_mode = true;
    else if (arg == "--no-quarantine") options.quarantine = false;
    else if (arg == "--in-process") options.in_process = true;
    else if (arg == "-" || !arg.starts_with("-")) {
      if (!options.input.empty()) ok = false;
      options.input = arg;
    } else ok = false;
    if (!ok) {
      std::cerr << "mugai sanitize: bad or incomplete option '" << arg << "'\n";
      return std::nullopt;
    }
  }
  if (options.input.empty()) {
    std::cerr << "mugai sanitize: no input (a file name or - for stdin)\n";
    return std::nullopt;
  }
  return options;
}

// A mail starts with a header field ("Name: value") or an mbox "From " line; anything else is
// handled as a single file.
bool looks_like_mail(std::string_view bytes) {
  if (bytes.starts_with("From ")) return true;
  std::size_t i = 0;
  while (i < bytes.size() && i < 998) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == ':') return i > 0;
    if (c <= 0x20 || c >= 0x7F) return false;
    ++i;
  }
  return false;
}

void store_original(const core::Config& config, const std::string& original,
                    const core::Result& result, const SanitizeOptions& options) {
  try {
    core::Quarantine quarantine(config.quarantine_dir);
    core::QuarantineEntry entry;
    entry.id = result.report.quarantine_id;
    entry.kind = result.report.kind;
    entry.sender = options.sender;
    entry.recipients = options.recipients;
    entry.subject = options.file_mode ? std::filesystem::path(options.input).filename().string() : "";
    entry.profile = result.report.profile;
    entry.verdict = result.report.verdict;
    entry.size = original.size();
    entry.report_json = result.report.to_json();
    quarantine.store(original, entry);
  } catch (const std::exception& error) {
    std::cerr << "mugai sanitize: warning: original not quarantined: " << error.what() << "\n";
  }
}

}  // namespace

int run_sanitize(const Args& args) {
  std::optional<SanitizeOptions> options = parse_options(args);
  if (!options) return kExitUsage;
  if (options->in_process) sanitizers::plugin::use_describer(nullptr);  // plug-ins load here too
  const std::optional<AcceptedConfig> accepted = load_accepted(options->config_path);
  if (!accepted) return kExitConfig;
  const core::Config* config = &accepted->config;

  const core::Profile* profile = nullptr;
  if (!options->profile.empty()) {
    const auto found = config->profiles.find(options->profile);
    if (found == config->profiles.end()) {
      std::cerr << "mugai sanitize: no profile named '" << options->profile << "'\n";
      return kExitConfig;
    }
    profile = &found->second;
  } else {
    profile = &core::select_profile(*config, options->sender, options->recipients);
  }

  std::optional<std::string> input = read_input(options->input, config->limits.max_message_bytes);
  if (!input) {
    std::cerr << "mugai sanitize: cannot read '" << options->input << "'\n";
    return kExitNoInput;
  }
  if (!options->file_mode && !looks_like_mail(*input)) options->file_mode = true;

  worker::Job job;
  job.input = *input;
  job.kind = options->file_mode ? core::InputKind::file : core::InputKind::message;
  if (options->file_mode && options->input != "-")
    job.filename = std::filesystem::path(options->input).filename().string();
  job.profile = profile->name;
  job.mail_from = options->sender;
  job.rcpt_to = options->recipients;
  std::optional<InstalledWorker> isolated;
  if (!options->in_process) isolated.emplace(accepted.value());
  const core::Result result = worker::sanitise_isolated(job, *config, *profile);

  if (options->quarantine) store_original(*config, *input, result, *options);
  if (!options->report_path.empty() && !write_output(options->report_path, result.report.to_json() + "\n")) {
    std::cerr << "mugai sanitize: cannot write report '" << options->report_path << "'\n";
    return kExitCantCreate;
  }
  if (result.tempfail) {
    std::cerr << "mugai sanitize: temporary failure: " << result.report.reason << "\n";
    return kExitTempfail;
  }
  if (!result.delivered) {
    std::cerr << "mugai sanitize: rejected: " << result.report.rejection_code << ": "
              << result.report.reason << "\n";
    return kExitRejected;
  }
  if (!write_output(options->output, result.output)) {
    std::cerr << "mugai sanitize: cannot write output '" << options->output << "'\n";
    return kExitCantCreate;
  }
  return 0;
}

}  // namespace mugai::cli
