// `mugai quarantine request|approve|deny|purge`: the release workflow of the web pages
// (gateway/release) for administrators and scripts. The same service, the same rules (who may
// see an item, approval per profile, one-time approval, rate-limited passwords, exactly-once
// delivery) and the same audit lines, with "via": "cli".
//   request ID --as USER [--password-file F]   ask for an item as its recipient (and open it)
//   approve ID --by USER [--comment TEXT]      decide as the superior or an administrator
//   deny    ID --by USER [--comment TEXT]
//   settle  ID --by ADMIN --delivered|--not-delivered [--comment TEXT]
//                                              an item a crash left in "delivering"
//   purge                                      delete items past quarantine_retention_days
#include <fstream>
#include <iostream>

#include "cli_support.h"
#include "commands.h"
#include "isolated_cli.h"
#include "mugai/core/audit_log.h"
#include "mugai/release/release_service.h"

namespace mugai::cli {
namespace {


struct WorkflowOptions {
  std::string action;
  std::string id;
  std::string user;
  std::string comment;
  std::string password_file;
  std::string config_path;
  std::optional<bool> delivered;  // settle only
};

void usage() {
  std::cerr << "usage: mugai quarantine request ID --as USER [--password-file FILE] [--config FILE]\n"
               "       mugai quarantine approve|deny ID --by USER [--comment TEXT] [--config FILE]\n"
               "       mugai quarantine settle ID --by ADMIN --delivered|--not-delivered [--comment TEXT] [--config FILE]\n"
               "       mugai quarantine purge [--config FILE]\n";
}

std::optional<WorkflowOptions> parse(const std::string& action, const Args& args) {
  WorkflowOptions options;
  options.action = action;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if ((arg == "--as" || arg == "--by") && has_value) options.user = args[++i];
    else if (arg == "--comment" && has_value) options.comment = args[++i];
    else if (arg == "--password-file" && has_value && action == "request") options.password_file = args[++i];
    else if (arg == "--config" && has_value) options.config_path = args[++i];
    else if ((arg == "--delivered" || arg == "--not-delivered") && action == "settle" && !options.delivered)
      options.delivered = arg == "--delivered";
    else if (!arg.starts_with("-") && options.id.empty() && action != "purge") options.id = arg;
    else return std::nullopt;
  }
  if (action == "purge") return options.user.empty() ? std::optional(options) : std::nullopt;
  if (options.id.empty() || options.user.empty()) return std::nullopt;
  if (action == "settle" && !options.delivered) return std::nullopt;
  return options;
}

std::unique_ptr<core::AuditLog> open_audit(const core::ServeConfig& serve) {
  std::string key;
  if (!serve.audit_hmac_key_file.empty()) key = core::read_hmac_key_file(serve.audit_hmac_key_file);
  return std::make_unique<core::AuditLog>(serve.audit_log, key, serve.audit_syslog);
}

// 0 done; 3 refused (wrong password, stale, denied...); 4 not allowed / not found; 75 try later.
int exit_code(const release::Answer& answer) {
  if (answer.ok()) return 0;
  if (answer.status == 404 || answer.status == 403 || answer.status == 410) return answer.code == "wrong-password" ? 3 : 4;
  if (answer.status == 503 || answer.status == 429) return 75;
  return 3;
}

int report(const std::string& action, const release::Answer& answer) {
  if (answer.ok()) {
    std::cout << action << ": " << answer.code << (answer.message.empty() ? "" : ": " + answer.message) << "\n";
    if (answer.body.contains("request") && answer.body["request"].is_object())
      std::cout << "state: " << answer.body["request"].value("state", "") << "\n";
  } else {
    std::cerr << "mugai quarantine " << action << ": refused (" << answer.code << "): " << answer.message << "\n";
  }
  return exit_code(answer);
}

}  // namespace

int run_quarantine_workflow(const std::string& action, const Args& args) {
  const std::optional<WorkflowOptions> options = parse(action, args);
  if (!options) {
    usage();
    return kExitUsage;
  }
  std::optional<AcceptedConfig> accepted = load_accepted(options->config_path);
  if (!accepted) return kExitConfig;
  // A password given with `request` opens the archive in a worker, as on the web pages.
  const InstalledWorker isolated(*accepted);
  auto config = std::make_shared<const core::Config>(accepted->config);
  std::unique_ptr<core::AuditLog> audit;
  try {
    audit = open_audit(config->serve);  // nothing happens unaudited
  } catch (const std::exception& error) {
    std::cerr << "mugai quarantine " << action << ": cannot open the audit log: " << error.what() << "\n";
    return kExitInternal;
  }
  release::ReleaseService service(config, audit.get());
  const release::Actor actor{options->user.empty() ? "cli" : options->user, "cli", ""};
  try {
    if (action == "purge") return report(action, service.purge(actor));
    std::string id = options->id;
    const core::IdLookup lookup = core::Quarantine(config->quarantine_dir).resolve(id);
    if (lookup.match == core::IdMatch::found) id = lookup.id;  // else the service answers not-found
    else if (!core::Quarantine::is_valid_id(id)) {
      std::cerr << "mugai quarantine " << action << ": '" << id.substr(0, 80)
                << "' is not an ID (64 lower-case hex characters, or a unique prefix of at least 8)\n";
      return kExitUsage;
    }
    if (action == "request") {
      std::optional<std::string> password;
      if (!options->password_file.empty() && !(password = read_password(options->password_file))) {
        std::cerr << "mugai quarantine request: cannot read a password (first line, 1 to 1024 bytes)\n";
        return kExitUsage;
      }
      const release::Answer asked = service.request(actor, id);
      const int code = report(action, asked);
      if (code != 0 || !password) return code;
      return report("password", service.submit_password(actor, id, *password));
    }
    if (action == "settle") return report(action, service.settle_delivering(actor, id, *options->delivered, options->comment));
    // approve/deny: the one-time token comes from this approver's own queue.
    const release::Answer queue = service.queue(actor);
    std::string token;
    for (const auto& item : queue.body["items"])
      if (item.value("id", "") == id) token = item.value("token", "");
    return report(action, service.decide(actor, id, action == "approve", token, options->comment));
  } catch (const std::exception& error) {
    std::cerr << "mugai quarantine " << action << ": " << error.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace mugai::cli
