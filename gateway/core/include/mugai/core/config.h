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
  std::string malware_scan = "none";  // "none" or "clamd": every leaf, every archive level
  std::vector<Rule> rules;         // first match wins; no match = remove (default deny)
  // --- release (issue 9): who must approve a release from quarantine, and what crosses ---
  std::string release_approval = "admin";     // none | superior | admin
  std::string release_content = "sanitized";  // sanitized (after the password) | original
  // --- end release ---
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
  bool listen_reuse_port = false;                  // SO_REUSEPORT: N instances share one port
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
  // Isolated workers (gateway/worker): the pipeline runs in these processes, never in the
  // network-facing one.
  int workers = 4;                                 // pool size (worker processes)
  int worker_memory_mb = 2048;                     // RLIMIT_AS per worker
  int worker_cpu_seconds = 120;                    // RLIMIT_CPU per job (SIGXCPU)
  int worker_timeout_seconds = 180;                // wall clock per job, then SIGKILL
  std::string worker_user = "nobody";              // dropped to when started as root
  int worker_max_attempts = 3;                     // failures of one message (SHA-256) before hold
};

// `clamd:` section: the ClamAV daemon used by profiles with `malware_scan: clamd`.
struct ClamdConfig {
  std::string socket = "/run/clamav/clamd.ctl";  // clamd's LocalSocket (UNIX domain)
  int timeout_seconds = 30;                       // per leaf; timeout = scan not possible (451)
};

// `transfer:` section: the file-transfer proxy (gateway/transfer/README.md). Off by default:
// enabling it means choosing users, listeners and where sanitised files are handed over.
struct TransferUser {
  std::string name;                   // [A-Za-z0-9._-], 1..64
  std::string password_hash;          // "pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64"
  std::vector<std::string> profiles;  // allowed profiles; the first is the user's default
};

struct TransferConfig {
  bool enabled = false;
  std::string upload_address = "127.0.0.1";     // Internet-side listener: page, upload, status
  int upload_port = 8443;
  std::string download_address = "127.0.0.1";  // LGWAN-side listener: page, status, download
  int download_port = 8444;                     // 0 = no download listener (outbox only)
  std::string outbox_dir;                       // "" = none; else <dir>/<user>/<id>-<name>
  std::string state_dir = "mugai-transfers";    // transfer records and sanitised results
  std::string tls_certificate_file;             // both set: both listeners speak HTTPS only
  std::string tls_key_file;
  std::uint64_t max_upload_bytes = 26'214'400;  // refused with 413 while streaming
  int uploads_per_minute = 30;                  // per user; more get 429
  int auth_failures_per_minute = 5;             // per user name and per client address; 429
  int max_connections = 16;                     // worker threads per listener
  int request_timeout_seconds = 60;             // socket idle time while reading a request
  int session_minutes = 60;                     // web page login lifetime
  int keep_hours = 72;                          // transfer records and results are deleted after
  std::vector<TransferUser> users;
};

// --- release: (the quarantine release workflow, gateway/release/README.md) ---
// Staff known to the release pages: the web user name, the mail addresses that are theirs
// (a user sees only quarantined items addressed to one of them) and their superior.
struct ReleaseStaff {
  std::string user;
  std::vector<std::string> addresses;  // lower-case
  std::string superior;                // "" = none
};

struct ReleaseConfig {
  bool enabled = false;
  std::string base_url;                  // "" = no link in the notice; else <base_url>/#/release/<id>
  std::string trusted_proxy_header;      // e.g. X-Remote-User; "" = not used
  std::vector<std::string> trusted_proxies;  // IP addresses whose header is believed
  std::vector<std::string> admins;       // user names allowed to approve anything
  int password_attempts_per_hour = 5;    // wrong passwords per held item, then refused
  std::string notify_from = "mugai@localhost";  // envelope and From of the mails to requesters
  std::vector<ReleaseStaff> staff;
};
// --- end release ---

// The notice compiled into the binary (config/notice.txt).
std::string_view default_notice_template();

struct Config {
  ServeConfig serve;
  TransferConfig transfer;
  Limits limits;
  ClamdConfig clamd;
  std::map<std::string, Profile, std::less<>> profiles;
  std::vector<SelectRule> select;
  std::string quarantine_dir = "mugai-quarantine";
  std::string plugin_dir;  // vendor plug-ins (*.so, mugai/plugin.h); "" = none
  int quarantine_retention_days = 14;  // originals (and release requests) deleted after this
  ReleaseConfig release;
  // Text with {{parts_ja}} {{parts_en}} {{quarantine_id}} {{profile}} {{release_link_ja}}
  // {{release_link_en}}; config key
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
