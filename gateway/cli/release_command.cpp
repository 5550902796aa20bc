// `mugai quarantine release ID --password-file F [--by USER] [--config FILE] [-o FILE]`: PPAP
// release. The quarantined original is sanitised again with the recipient's profile and the
// password, so the encrypted archive is opened, every member goes through the pipeline like any
// attachment, and the result (never the decrypted original) is delivered the way `mugai serve`
// delivers: to the downstream MTA or the outbox (serve: section). Every attempt is an audit line
// naming who released it; the password never appears in any output, log or report.
#include <pwd.h>
#include <unistd.h>

#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands.h"
#include "isolated_cli.h"
#include "mugai/core/audit_log.h"
#include "mugai/core/digest.h"
#include "mugai/core/pipeline.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/password_release.h"
#include "mugai/release/release_store.h"
#include "mugai/smtp/transport_factory.h"

namespace mugai::cli {
namespace {

constexpr int kExitWrongPassword = 3;
constexpr int kExitNotReleasable = 4;
constexpr int kExitTempfail = 75;

struct ReleaseOptions {
  std::string id;
  std::string password_file;
  std::string by;
  std::string config_path;
  std::string output;  // file entries: where the sanitised file goes
};

void usage() {
  std::cerr << "usage: mugai quarantine release ID --password-file FILE [--by USER] [--config FILE] [-o FILE]\n"
               "  the first line of FILE is the archive password; it is never logged\n"
               "  --by: who releases it (audit log); default the invoking login\n"
               "  -o: for file entries (mugai sanitize --file), where the sanitised file is written\n";
}

std::string invoking_login() {
  if (const char* name = ::getlogin(); name != nullptr && *name != '\0') return name;
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_name != nullptr)
    return entry->pw_name;
  return "uid " + std::to_string(::getuid());
}

std::optional<ReleaseOptions> parse(const Args& args) {
  ReleaseOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--password-file" && has_value) options.password_file = args[++i];
    else if (arg == "--by" && has_value) options.by = args[++i];
    else if (arg == "--config" && has_value) options.config_path = args[++i];
    else if (arg == "-o" && has_value) options.output = args[++i];
    else if (!arg.starts_with("-") && options.id.empty()) options.id = arg;
    else return std::nullopt;
  }
  if (options.id.empty() || options.password_file.empty()) return std::nullopt;
  if (options.by.empty()) options.by = invoking_login();
  return options;
}

std::string received_line(const std::string& hostname, const std::string& id) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return "Received: by " + hostname + " (mugai quarantine release) id " + id.substr(0, 16) + ";\r\n\t" + date + "\r\n";
}

class Release {
 public:
  Release(const core::Config& config, const ReleaseOptions& options) : config_(config), options_(options) {}

  int run() {
    const core::Quarantine quarantine(config_.quarantine_dir);
    const core::IdLookup lookup = quarantine.resolve(options_.id);
    if (lookup.match != core::IdMatch::found) {
      std::cerr << "mugai quarantine release: no single entry for '" << options_.id.substr(0, 80) << "'\n";
      return lookup.match == core::IdMatch::not_found ? kExitNoInput : kExitUsage;
    }
    id_ = lookup.id;
    const std::optional<core::QuarantineEntry> entry = quarantine.find(id_);
    const std::optional<std::string> original = quarantine.original(id_);
    if (!entry || !original) {
      std::cerr << "mugai quarantine release: entry " << id_ << " is incomplete\n";
      return kExitNoInput;
    }
    const std::optional<std::string> password = read_password(options_.password_file);
    if (!password) {
      std::cerr << "mugai quarantine release: cannot read a password (first line, 1 to " << kMaxPasswordBytes
                << " bytes) from " << options_.password_file << "\n";
      return kExitUsage;
    }
    // Unaudited releases must not happen: the log is opened before anything is decrypted.
    if (!open_audit()) return kExitInternal;

    // One release per item, whichever way it is asked for (web workflow or this command).
    const release::ReleaseStore store(config_.quarantine_dir);
    const release::ReleaseStore::Lock lock(store, id_);
    std::optional<release::ReleaseRecord> record = store.find(id_);
    if (record && (record->state == "released" || record->state == "delivering"))
      return refuse(kExitNotReleasable, "already-released", "this item was already released; it is not released twice");

    const core::Profile& profile = release::profile_of(config_, *entry);
    const release::PasswordRelease opened = release::sanitise_with_password(config_, *entry, *original, *password);
    switch (opened.outcome) {
      case release::PasswordOutcome::opened: break;
      case release::PasswordOutcome::wrong_password:
        return refuse(kExitWrongPassword, "wrong-password", opened.reason);
      case release::PasswordOutcome::tempfail: return refuse(kExitTempfail, "tempfail", opened.reason);
      default: return refuse(kExitNotReleasable, std::string(release::to_string(opened.outcome)), opened.reason);
    }
    const int code = deliver(*entry, opened.result, profile);
    if (code == 0) {
      if (!record) {
        record.emplace();
        record->id = id_;
        record->requester = options_.by;
        record->requested_at = release::utc_now();
        record->content = "sanitized";
        record->approval = "cli";
      }
      record->state = "released";
      record->decided_by = options_.by;
      record->token.clear();
      record->updated_at = release::utc_now();
      store.save(*record);
    }
    return code;
  }

 private:
  bool open_audit() {
    const core::ServeConfig& serve = config_.serve;
    std::string key;
    if (!serve.audit_hmac_key_file.empty()) {
      try {
        key = core::read_hmac_key_file(serve.audit_hmac_key_file);
      } catch (const std::exception& error) {
        std::cerr << "mugai quarantine release: serve.audit_hmac_key_file: " << error.what() << "\n";
        return false;
      }
    }
    try {
      audit_ = std::make_unique<core::AuditLog>(serve.audit_log, key, serve.audit_syslog);
      return true;
    } catch (const std::exception& error) {
      std::cerr << "mugai quarantine release: cannot open the audit log (a release is never unaudited): "
                << error.what() << "\n";
      return false;
    }
  }

  void audit(const std::string& outcome, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json line = {{"event", "quarantine-release"}, {"id", id_}, {"by", options_.by}, {"outcome", outcome}};
    line.update(extra);
    try {
      audit_->append(nlohmann::json::parse(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    } catch (const std::exception& error) {
      std::cerr << "mugai quarantine release: audit log write failed: " << error.what() << "\n";
    }
  }

  int refuse(int code, const std::string& outcome, const std::string& why) {
    audit(outcome);
    std::cerr << "mugai quarantine release: not released: " << why << "\n";
    return code;
  }

  int deliver(const core::QuarantineEntry& entry, const core::Result& result, const core::Profile& profile) {
    const nlohmann::json details = {{"profile", profile.name},
                                    {"recipients", entry.recipients},
                                    {"sha256_out", result.report.sha256_after}};
    if (entry.kind == "file") {
      if (options_.output.empty()) {
        audit("refused", {{"reason", "file entry without -o"}});
        std::cerr << "mugai quarantine release: a file entry needs -o FILE\n";
        return kExitUsage;
      }
      if (!write_output(options_.output, result.output)) {
        audit("failed", {{"reason", "cannot write output"}});
        return kExitCantCreate;
      }
      audit("released", details);
      std::cout << "released " << id_ << " as " << result.output_filename << "\n";
      return 0;
    }
    std::string error;
    const std::shared_ptr<smtp::Transport> transport = smtp::make_transport(config_.serve, error);
    if (!transport) {
      audit("failed", {{"reason", error}});
      std::cerr << "mugai quarantine release: " << error << "\n";
      return kExitTempfail;
    }
    smtp::Envelope envelope;
    envelope.mail_from = entry.sender;
    envelope.recipients = entry.recipients;
    const smtp::TransportResult sent =
        transport->send(envelope, received_line(config_.serve.hostname, id_), result.output);
    nlohmann::json fields = details;
    fields["downstream"] = sent.summary();
    if (sent.kind != smtp::TransportResult::Kind::accepted) {
      audit("failed", fields);
      std::cerr << "mugai quarantine release: delivery failed: " << sent.summary() << "\n";
      return sent.kind == smtp::TransportResult::Kind::temporary ? kExitTempfail : kExitNotReleasable;
    }
    audit("released", fields);
    std::cout << "released " << id_ << ": sanitised and delivered (" << sent.summary() << ")\n";
    return 0;
  }

  const core::Config& config_;
  const ReleaseOptions& options_;
  std::string id_;
  std::unique_ptr<core::AuditLog> audit_;
};

}  // namespace

int run_quarantine_release(const Args& args) {
  const std::optional<ReleaseOptions> options = parse(args);
  if (!options) {
    usage();
    return kExitUsage;
  }
  const std::optional<AcceptedConfig> accepted = load_accepted(options->config_path);
  if (!accepted) return kExitConfig;
  try {
    const InstalledWorker isolated(*accepted);  // decryption and sanitising happen in a worker
    Release release(accepted->config, *options);
    return release.run();
  } catch (const std::exception& error) {
    std::cerr << "mugai quarantine release: " << error.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace mugai::cli
