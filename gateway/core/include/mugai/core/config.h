// The configuration model: limits, profiles (ordered rules, default deny), profile selection by
// sender/recipient, notice template. Loaded from YAML (config_loader.h) or from the copy of
// config/mugai.yaml compiled into the binary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::core {

struct Rule {
  std::vector<TypeClass> classes;  // empty = any
  std::string action;              // see Sanitizer: keep, to-text, ..., remove, reject-message, hold
  std::string module;              // "" = first module that handles the type and the action
  std::string name_pattern;        // "" = any name; else a glob on the decoded file name
  std::optional<std::uint64_t> max_bytes;  // rule matches only parts up to this size
  ModuleOptions options;
  int line = 0;                    // in the config file, for reports and `config check`
};

struct Profile {
  std::string name;
  int strictness = 0;              // with several recipients, the highest strictness wins
  std::string output_charset = "utf-8";  // "utf-8" or "iso-2022-jp"
  bool defang_urls = false;        // http://x -> hxxp://x in converted text
  std::vector<Rule> rules;         // first match wins; no match = remove (default deny)
};

struct SelectRule {
  std::string recipient;          // exact address, lower-case
  std::string recipient_domain;   // domain (and its subdomains)
  std::string sender;
  std::string sender_domain;
  bool is_default = false;
  std::string profile;
  int line = 0;
};

// `serve:` section: the SMTP proxy (issue 4) and its operations. Keys are stable: external test
// harnesses write them from a template.
struct ServeConfig {
  std::string listen_address = "127.0.0.1";
  int listen_port = 2525;
  std::string hostname = "mugai.localhost";       // in the greeting and EHLO reply
  std::vector<std::string> client_networks = {"127.0.0.0/8", "::1/128"};  // CIDR; others refused
  std::vector<std::string> accepted_domains;       // recipient domains; empty = accept none
  // Downstream (LGWAN-side MTA). Empty host: write to outbox_dir instead (write-then-rename).
  std::string downstream_host;
  int downstream_port = 25;
  bool downstream_starttls = false;
  std::string downstream_ca_file;                  // "" = system CAs
  int downstream_timeout_seconds = 60;
  int downstream_connections = 8;                  // kept-alive connections in the pool
  std::string outbox_dir = "mugai-outbox";
  std::string tls_certificate_file;                // STARTTLS offered when both are set
  std::string tls_key_file;
  bool require_starttls = false;
  int max_recipients = 100;
  int max_sessions = 100;
  int max_sessions_per_client = 20;
  int max_errors_per_session = 10;
  int command_timeout_seconds = 300;
  int data_timeout_seconds = 600;
  int shutdown_grace_seconds = 30;                 // SIGTERM: time given to sessions in flight
  std::string audit_log = "mugai-audit.log";
  std::string audit_hmac_key_file;                 // "" = hash chain only
  bool audit_syslog = false;
  std::string admin_address = "127.0.0.1";         // /healthz and /metrics
  int admin_port = 8025;                           // 0 = no admin listener
};

// The notice compiled into the binary (config/notice.txt).
std::string_view default_notice_template();

struct Config {
  ServeConfig serve;
  Limits limits;
  std::map<std::string, Profile, std::less<>> profiles;
  std::vector<SelectRule> select;
  std::string quarantine_dir = "mugai-quarantine";
  // Text with {{parts_ja}} {{parts_en}} {{quarantine_id}} {{profile}}; config key
  // `notice_template_file` replaces it with the contents of a file.
  std::string notice_template_ja_en = std::string(default_notice_template());
};

// The profile for a message. Per recipient, the first `select` rule (in file order) that matches
// that recipient or the sender gives its profile, else the `default` rule; addresses compare
// case-insensitively and recipient_domain/sender_domain also match subdomains. Of the recipients'
// profiles the strictest (highest strictness; ties: the lexicographically smallest name) wins, so
// one message is sanitised once, for its most protected reader. With no recipients the sender
// alone decides. Fails closed: without a usable select rule the strictest profile of the config,
// and with no profile at all a profile without rules (everything removed).
const Profile& select_profile(const Config& config, std::string_view sender,
                              const std::vector<std::string>& recipients);

}  // namespace mugai::core
