// YAML -> Config, validated completely before anything runs. A gateway that starts on a
// half-understood configuration fails open: a misspelt limit silently keeps some other value, a
// misspelt rule key lets content through, "0 = unlimited" turns a bound into a denial-of-service
// hole. So every key is known, typed and bounded, and every error names its line and column.
// The walk never descends into structure it does not expect, so alias bombs ("billion laughs")
// and deep nesting cost nothing beyond yaml-cpp's own parse (which has a depth guard).
#include "mugai/core/config_loader.h"

#include <arpa/inet.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <span>
#include <sstream>
#include <variant>

#include "mugai/registry.h"
#include "plugin_loader.h"

namespace mugai::embedded {
extern const std::string_view default_config;
}  // namespace mugai::embedded

namespace mugai::core {
namespace {

// ---------------------------------------------------------------------------------------------
// Vocabulary

constexpr std::array<std::string_view, 19> kClassNames{
    "text",     "html",       "pdf",    "ooxml",    "ole2",     "image",     "archive",
    "disk-image", "message",  "executable", "script", "svg", "calendar", "ichitaro", "docuworks",
    "jw-cad",   "cad-exchange", "other", "unknown"};

constexpr std::array<std::string_view, 10> kActions{
    "keep", "to-text", "strip-active", "flatten", "re-encode", "extract-and-recurse", "convert",
    "remove", "reject-message", "hold"};

// Handled by the pipeline itself; the only actions allowed for executables and scripts.
constexpr std::array<std::string_view, 3> kPipelineActions{"remove", "reject-message", "hold"};

constexpr std::array<std::string_view, 2> kCharsets{"utf-8", "iso-2022-jp"};

constexpr std::array<std::string_view, 8> kNoticePlaceholders{"parts_ja", "parts_en", "quarantine_id",
                                                              "profile",  "held_ja",  "held_en",
                                                              "release_link_ja", "release_link_en"};

constexpr std::array<std::string_view, 11> kTopKeys{"limits",   "serve",  "profiles",
                                                   "select",   "quarantine_dir",
                                                   "notice_template_file", "clamd",
                                                   "transfer", "quarantine_retention_days", "release",
                                                   "plugin_dir"};
constexpr std::array<std::string_view, 3> kReleaseApprovals{"none", "superior", "admin"};
constexpr std::array<std::string_view, 2> kReleaseContents{"sanitized", "original"};

constexpr std::array<std::string_view, 2> kScanModes{"none", "clamd"};
constexpr std::array<std::string_view, 6> kRuleKeys{"match", "action",    "module",
                                                    "name",  "max_bytes", "options"};
constexpr std::array<std::string_view, 6> kSelectKeys{"recipient", "recipient_domain", "sender",
                                                      "sender_domain", "profile", "default"};

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr std::int64_t kGiB = 1024 * kMiB;

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

// Optimal string alignment distance (edits plus adjacent transpositions), case-insensitive.
std::size_t edit_distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = lower(a_in), b = lower(b_in);
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// "; did you mean 'max_parts'?" for a close spelling, else "".
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.size() > 64) return "";
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  const std::size_t longest = std::max(word.size(), best.size());
  const std::size_t allowed = longest <= 4 ? 1 : longest <= 10 ? 2 : 3;
  if (best.empty() || best_distance > allowed) return "";
  return "; did you mean '" + std::string(best) + "'?";
}

// Quoted in messages; hostile or huge scalars are cut so one error stays one line.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 60)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (text.size() > 60) out += "...";
  return "'" + out + "'";
}

// ---------------------------------------------------------------------------------------------
// Value checks shared by several keys

bool is_ip_literal(const std::string& text) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

// "" when `text` is an acceptable network (address, or address/prefix without host bits), else why.
// Host bits are refused because "192.168.10.0/16" is far more often a typo that opens a /16 than
// a deliberate choice.
std::string cidr_problem(const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::string address = text.substr(0, slash);
  std::array<unsigned char, 16> bytes{};
  int bits = 0;
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
    bits = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) {
    bits = 128;
  } else {
    return "not an IP address or network: " + shown(text) + " (write e.g. 192.0.2.0/24 or 2001:db8::/32)";
  }
  if (slash == std::string::npos) return "";
  int prefix = -1;
  const char* begin = text.data() + slash + 1;
  const char* end = text.data() + text.size();
  const auto [stop, status] = std::from_chars(begin, end, prefix);
  if (begin == end || stop != end || status != std::errc() || prefix < 0 || prefix > bits)
    return "bad prefix length in " + shown(text) + " (0 to " + std::to_string(bits) + ")";
  for (int bit = prefix; bit < bits; ++bit)
    if (bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8))) {
      for (int clear = prefix; clear < bits; ++clear)
        bytes[static_cast<std::size_t>(clear / 8)] &= static_cast<unsigned char>(~(0x80 >> (clear % 8)));
      char network[INET6_ADDRSTRLEN] = {};
      inet_ntop(bits == 32 ? AF_INET : AF_INET6, bytes.data(), network, sizeof network);
      return "host bits set in " + shown(text) + "; did you mean '" + std::string(network) + "/" +
             std::to_string(prefix) + "'?";
    }
  return "";
}

// "" when `text` is a DNS name in ASCII (letters, digits, hyphens, dot-separated labels).
std::string domain_problem(std::string_view text) {
  if (text.empty()) return "empty domain";
  if (text.size() > 253) return "domain longer than 253 characters";
  std::size_t label = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (label == 0) return "empty label in domain " + shown(text);
      if (label > 63) return "label longer than 63 characters in " + shown(text);
      label = 0;
      continue;
    }
    const char c = text[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      if (static_cast<unsigned char>(c) >= 0x80)
        return "non-ASCII domain " + shown(text) + ": write it in punycode (xn--...)";
      return "invalid character in domain " + shown(text);
    }
    ++label;
  }
  return "";
}

std::string address_problem(std::string_view text) {
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0) return "expected an address local@domain, got " + shown(text);
  for (char c : text.substr(0, at))
    if (c == ' ' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x21)
      return "invalid character in address " + shown(text);
  return domain_problem(text.substr(at + 1));
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[4] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Error collection and typed reads

int one_based(int zero_based) { return zero_based < 0 ? 0 : zero_based + 1; }

class Reader {
 public:
  explicit Reader(std::vector<ConfigError>& errors) : errors_(errors) {}

  void error(const YAML::Mark& mark, std::string message) {
    if (errors_.size() >= kMaxReportedErrors) return;
    errors_.push_back({mark.is_null() ? 0 : one_based(mark.line), mark.is_null() ? 0 : one_based(mark.column),
                       std::move(message)});
  }
  void error(std::string message) { error(YAML::Mark::null_mark(), std::move(message)); }

  // Visits the keys of a map in file order. Unknown keys (with a suggestion) and repeated keys
  // are errors: with a repeated key, which value counts is a parser detail nobody should rely on.
  // Returns where each known key was written.
  template <std::size_t N, typename Visit>
  std::map<std::string, YAML::Mark, std::less<>> keys(const YAML::Node& map, const std::string& where,
                                                      const std::array<std::string_view, N>& known,
                                                      Visit visit) {
    std::map<std::string, YAML::Mark, std::less<>> seen;
    if (!expect_map(map, where)) return seen;
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        error(key.Mark(), where + ": keys must be plain words");
        continue;
      }
      const std::string& name = key.Scalar();
      if (!contains(known, name)) {
        error(key.Mark(), "unknown key " + shown(name) + " in " + where + suggestion(name, known));
        continue;
      }
      if (const auto earlier = seen.find(name); earlier != seen.end()) {
        error(key.Mark(), where + "." + name + " is given twice (first at line " +
                              std::to_string(one_based(earlier->second.line)) + ")");
        continue;
      }
      seen.emplace(name, key.Mark());
      visit(name, key.Mark(), entry.second);
    }
    return seen;
  }

  bool expect_map(const YAML::Node& node, const std::string& where) {
    if (node.IsMap()) return true;
    error(node.Mark(), where + ": expected a map of keys (key: value), got " + kind_of(node));
    return false;
  }

  bool expect_sequence(const YAML::Node& node, const std::string& where) {
    if (node.IsSequence()) return true;
    error(node.Mark(), where + ": expected a list (- item, or [a, b]), got " + kind_of(node));
    return false;
  }

  std::optional<std::string> text(const YAML::Node& node, const std::string& where) {
    if (node.IsScalar()) return node.Scalar();
    error(node.Mark(), where + ": expected a single value, got " + kind_of(node) +
                           (node.IsNull() ? " (write \"\" for an empty string)" : ""));
    return std::nullopt;
  }

  std::optional<std::string> non_empty_text(const YAML::Node& node, const std::string& where) {
    std::optional<std::string> value = text(node, where);
    if (value && value->empty()) {
      error(node.Mark(), where + ": must not be empty");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& where) {
    // Only true/false: YAML 1.1's yes/no/on/off are a classic source of surprises.
    if (node.IsScalar() && node.Tag() == "?") {
      if (node.Scalar() == "true") return true;
      if (node.Scalar() == "false") return false;
    }
    error(node.Mark(), where + ": expected true or false, got " + describe(node));
    return std::nullopt;
  }

  // An integer in [min, max]. 0 gets its own message where it is below min: elsewhere 0 often
  // means "unlimited", and mugai refuses that rather than guess.
  std::optional<std::int64_t> integer(const YAML::Node& node, const std::string& where, std::int64_t min,
                                      std::int64_t max) {
    const std::string range = "(" + std::to_string(min) + " to " + std::to_string(max) + ")";
    const bool plain = node.IsScalar() && (node.Tag() == "?" || node.Tag() == "tag:yaml.org,2002:int");
    if (!plain) {
      error(node.Mark(), where + ": expected an integer " + range + ", got " + describe(node));
      return std::nullopt;
    }
    const std::string& digits = node.Scalar();
    const std::size_t sign = (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) ? 1 : 0;
    const bool numeric = digits.size() > sign &&
                         std::all_of(digits.begin() + static_cast<std::ptrdiff_t>(sign), digits.end(),
                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric) {
      error(node.Mark(), where + ": expected an integer " + range + ", got " + describe(node));
      return std::nullopt;
    }
    std::int64_t value = 0;
    const char* begin = digits.data() + (digits[0] == '+' ? 1 : 0);
    const auto [stop, status] = std::from_chars(begin, digits.data() + digits.size(), value);
    if (status != std::errc() || stop != digits.data() + digits.size()) {
      error(node.Mark(), where + ": " + shown(digits) + " is out of range " + range);
      return std::nullopt;
    }
    if (value == 0 && min > 0) {
      error(node.Mark(), where + ": 0 is refused: there is no 'unlimited', every bound must be set " + range);
      return std::nullopt;
    }
    if (value < min || value > max) {
      error(node.Mark(), where + ": " + std::to_string(value) + " is out of range " + range);
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::vector<std::string>> text_list(const YAML::Node& node, const std::string& where) {
    if (!expect_sequence(node, where)) return std::nullopt;
    std::vector<std::string> values;
    bool ok = true;
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
      std::optional<std::string> value = non_empty_text(item, where + "[" + std::to_string(index++) + "]");
      if (value) values.push_back(std::move(*value));
      else ok = false;
    }
    if (!ok) return std::nullopt;
    return values;
  }

  static std::string kind_of(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Map: return "a map";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Scalar: return "a single value";
      default: return "nothing";
    }
  }

  static std::string describe(const YAML::Node& node) {
    if (!node.IsScalar()) return kind_of(node);
    if (node.Tag() == "!") return "a quoted string " + shown(node.Scalar());
    return shown(node.Scalar());
  }

 private:
  std::vector<ConfigError>& errors_;
};

// ---------------------------------------------------------------------------------------------
// Field tables: key name, member, bounds. One table drives reading, defaults and the list of
// accepted keys, so REFERENCE.md, the loader and the structs cannot drift apart unseen.

enum class Check { none, non_empty, ip_address, host_name, networks, domains, charset, scan_mode, approval,
                   release_content, ip_addresses, user_names, http_url, header_name, address };

template <typename Owner>
struct Field {
  std::string_view key;
  std::variant<std::uint64_t Owner::*, std::uint32_t Owner::*, int Owner::*, bool Owner::*, std::string Owner::*,
               std::vector<std::string> Owner::*>
      member;
  std::int64_t min = 0;
  std::int64_t max = 0;
  Check check = Check::none;
};

const std::array<Field<Limits>, 15> kLimitFields{{
    {"max_message_bytes", &Limits::max_message_bytes, 1, kGiB},
    {"max_header_bytes", &Limits::max_header_bytes, 1, 16 * kMiB},
    {"max_header_line_bytes", &Limits::max_header_line_bytes, 1, 16 * kMiB},
    {"max_header_fields", &Limits::max_header_fields, 1, 100'000},
    {"max_parts", &Limits::max_parts, 1, 100'000},
    {"max_depth", &Limits::max_depth, 1, 100},
    {"max_decoded_bytes", &Limits::max_decoded_bytes, 1, 4 * kGiB},
    {"max_expand_ratio", &Limits::max_expand_ratio, 1, 10'000},
    {"max_seconds", &Limits::max_seconds, 1, 3'600},
    {"max_filename_chars", &Limits::max_filename_chars, 16, 255},
    {"max_expand_bytes", &Limits::max_expand_bytes, 1, 4 * kGiB},
    {"max_member_bytes", &Limits::max_member_bytes, 1, kGiB},
    {"max_archive_entries", &Limits::max_archive_entries, 1, 100'000},
    {"max_archive_depth", &Limits::max_archive_depth, 1, 20},
    {"max_member_path_bytes", &Limits::max_member_path_bytes, 16, 65'536},
}};

const std::array<Field<ClamdConfig>, 2> kClamdFields{{
    {"socket", &ClamdConfig::socket, 0, 0, Check::non_empty},
    {"timeout_seconds", &ClamdConfig::timeout_seconds, 1, 3'600},
}};

const std::array<Field<ServeConfig>, 34> kServeFields{{
    {"listen_address", &ServeConfig::listen_address, 0, 0, Check::ip_address},
    {"listen_port", &ServeConfig::listen_port, 1, 65'535},
    {"listen_reuse_port", &ServeConfig::listen_reuse_port},
    {"hostname", &ServeConfig::hostname, 0, 0, Check::host_name},
    {"client_networks", &ServeConfig::client_networks, 0, 0, Check::networks},
    {"accepted_domains", &ServeConfig::accepted_domains, 0, 0, Check::domains},
    {"downstream_host", &ServeConfig::downstream_host},
    {"downstream_port", &ServeConfig::downstream_port, 1, 65'535},
    {"downstream_starttls", &ServeConfig::downstream_starttls},
    {"downstream_ca_file", &ServeConfig::downstream_ca_file},
    {"downstream_timeout_seconds", &ServeConfig::downstream_timeout_seconds, 1, 3'600},
    {"downstream_connections", &ServeConfig::downstream_connections, 1, 1'000},
    {"outbox_dir", &ServeConfig::outbox_dir, 0, 0, Check::non_empty},
    {"tls_certificate_file", &ServeConfig::tls_certificate_file},
    {"tls_key_file", &ServeConfig::tls_key_file},
    {"require_starttls", &ServeConfig::require_starttls},
    {"max_recipients", &ServeConfig::max_recipients, 1, 10'000},
    {"max_sessions", &ServeConfig::max_sessions, 1, 10'000},
    {"max_sessions_per_client", &ServeConfig::max_sessions_per_client, 1, 10'000},
    {"max_errors_per_session", &ServeConfig::max_errors_per_session, 1, 1'000},
    {"command_timeout_seconds", &ServeConfig::command_timeout_seconds, 1, 3'600},
    {"data_timeout_seconds", &ServeConfig::data_timeout_seconds, 1, 3'600},
    {"shutdown_grace_seconds", &ServeConfig::shutdown_grace_seconds, 1, 3'600},
    {"audit_log", &ServeConfig::audit_log, 0, 0, Check::non_empty},
    {"audit_hmac_key_file", &ServeConfig::audit_hmac_key_file},
    {"audit_syslog", &ServeConfig::audit_syslog},
    {"admin_address", &ServeConfig::admin_address, 0, 0, Check::ip_address},
    {"admin_port", &ServeConfig::admin_port, 0, 65'535},
    {"workers", &ServeConfig::workers, 1, 256},
    {"worker_memory_mb", &ServeConfig::worker_memory_mb, 64, 1'048'576},
    {"worker_cpu_seconds", &ServeConfig::worker_cpu_seconds, 1, 3'600},
    {"worker_timeout_seconds", &ServeConfig::worker_timeout_seconds, 1, 3'600},
    {"worker_user", &ServeConfig::worker_user, 0, 0, Check::non_empty},
    {"worker_max_attempts", &ServeConfig::worker_max_attempts, 1, 100},
}};

// --- transfer: (the file-transfer proxy, gateway/transfer) ---
const std::array<Field<TransferConfig>, 16> kTransferFields{{
    {"enabled", &TransferConfig::enabled},
    {"upload_address", &TransferConfig::upload_address, 0, 0, Check::ip_address},
    {"upload_port", &TransferConfig::upload_port, 1, 65'535},
    {"download_address", &TransferConfig::download_address, 0, 0, Check::ip_address},
    {"download_port", &TransferConfig::download_port, 0, 65'535},
    {"outbox_dir", &TransferConfig::outbox_dir},
    {"state_dir", &TransferConfig::state_dir, 0, 0, Check::non_empty},
    {"tls_certificate_file", &TransferConfig::tls_certificate_file},
    {"tls_key_file", &TransferConfig::tls_key_file},
    {"max_upload_bytes", &TransferConfig::max_upload_bytes, 1, kGiB},
    {"uploads_per_minute", &TransferConfig::uploads_per_minute, 1, 100'000},
    {"auth_failures_per_minute", &TransferConfig::auth_failures_per_minute, 1, 1'000},
    {"max_connections", &TransferConfig::max_connections, 1, 1'000},
    {"request_timeout_seconds", &TransferConfig::request_timeout_seconds, 1, 3'600},
    {"session_minutes", &TransferConfig::session_minutes, 1, 7 * 24 * 60},
    {"keep_hours", &TransferConfig::keep_hours, 1, 24 * 365},
}};
constexpr std::array<std::string_view, 3> kTransferUserKeys{"name", "password_hash", "profiles"};
// --- end transfer ---

const std::array<Field<Profile>, 6> kProfileFields{{
    {"strictness", &Profile::strictness, 0, 1'000'000},
    {"output_charset", &Profile::output_charset, 0, 0, Check::charset},
    {"defang_urls", &Profile::defang_urls},
    {"malware_scan", &Profile::malware_scan, 0, 0, Check::scan_mode},
    {"release_approval", &Profile::release_approval, 0, 0, Check::approval},
    {"release_content", &Profile::release_content, 0, 0, Check::release_content},
}};

// --- release: (the quarantine release workflow, gateway/release) ---
const std::array<Field<ReleaseConfig>, 7> kReleaseFields{{
    {"enabled", &ReleaseConfig::enabled},
    {"base_url", &ReleaseConfig::base_url, 0, 0, Check::http_url},
    {"trusted_proxy_header", &ReleaseConfig::trusted_proxy_header, 0, 0, Check::header_name},
    {"trusted_proxies", &ReleaseConfig::trusted_proxies, 0, 0, Check::ip_addresses},
    {"admins", &ReleaseConfig::admins, 0, 0, Check::user_names},
    {"password_attempts_per_hour", &ReleaseConfig::password_attempts_per_hour, 1, 1'000},
    {"notify_from", &ReleaseConfig::notify_from, 0, 0, Check::address},
}};
constexpr std::array<std::string_view, 3> kReleaseStaffKeys{"user", "addresses", "superior"};
// --- end release ---

template <typename Owner, std::size_t N>
std::array<std::string_view, N> keys_of(const std::array<Field<Owner>, N>& fields) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = fields[i].key;
  return names;
}

template <typename Owner, std::size_t N>
const Field<Owner>& field_named(const std::array<Field<Owner>, N>& fields, std::string_view key) {
  return *std::find_if(fields.begin(), fields.end(), [&](const Field<Owner>& f) { return f.key == key; });
}

std::string user_name_problem(std::string_view name);

// Extra checks on a string value; "" = fine. May normalise (domains are lower-cased).
std::string text_problem(Check check, std::string& value) {
  switch (check) {
    case Check::non_empty: return value.empty() ? "must not be empty" : "";
    case Check::ip_address:
      return is_ip_literal(value) ? "" : "expected an IP address such as 127.0.0.1 or ::1, got " + shown(value);
    case Check::host_name: return domain_problem(value);
    case Check::charset:
      value = lower(value);
      return contains(kCharsets, value) ? "" : "unknown charset " + shown(value) + " (utf-8 or iso-2022-jp)";
    case Check::domains:
      value = lower(value);
      return domain_problem(value);
    case Check::scan_mode:
      return contains(kScanModes, value) ? "" : "unknown malware scan " + shown(value) + " (none or clamd)";
    case Check::networks: return cidr_problem(value);
    case Check::approval:
      return contains(kReleaseApprovals, value) ? "" : "unknown approval " + shown(value) + " (none, superior or admin)";
    case Check::release_content:
      return contains(kReleaseContents, value) ? "" : "unknown release content " + shown(value) + " (sanitized or original)";
    case Check::ip_addresses:
      return is_ip_literal(value) ? "" : "expected an IP address such as 127.0.0.1 or ::1, got " + shown(value);
    case Check::user_names: return user_name_problem(value);
    case Check::http_url:
      if (value.empty()) return "";
      if (!(value.starts_with("https://") || value.starts_with("http://")) || value.find_first_of(" \t\r\n<>\"") != std::string::npos)
        return "expected an http:// or https:// address without spaces, got " + shown(value);
      while (value.ends_with("/")) value.pop_back();
      return "";
    case Check::header_name:
      for (char c : value)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
          return "a header name has only letters, digits and '-': " + shown(value);
      return "";
    case Check::address:
      value = lower(value);
      return address_problem(value);
    case Check::none: return "";
  }
  return "";
}

template <typename Owner>
void read_field(Reader& reader, const Field<Owner>& field, const YAML::Node& node, const std::string& where,
                Owner& owner) {
  std::visit(
      [&](auto member) {
        using Value = std::remove_reference_t<decltype(owner.*member)>;
        if constexpr (std::is_same_v<Value, bool>) {
          if (auto value = reader.boolean(node, where)) owner.*member = *value;
        } else if constexpr (std::is_integral_v<Value>) {
          if (auto value = reader.integer(node, where, field.min, field.max))
            owner.*member = static_cast<Value>(*value);
        } else if constexpr (std::is_same_v<Value, std::string>) {
          std::optional<std::string> value = reader.text(node, where);
          if (!value) return;
          if (std::string problem = text_problem(field.check, *value); !problem.empty())
            reader.error(node.Mark(), where + ": " + problem);
          else
            owner.*member = std::move(*value);
        } else {
          std::optional<std::vector<std::string>> values = reader.text_list(node, where);
          if (!values) return;
          bool ok = true;
          std::size_t index = 0;
          for (std::string& value : *values) {
            if (std::string problem = text_problem(field.check, value); !problem.empty()) {
              reader.error(node[index].Mark(), where + ": " + problem);
              ok = false;
            }
            ++index;
          }
          if (ok) owner.*member = std::move(*values);
        }
      },
      field.member);
}

template <typename Owner>
std::string default_text(const Field<Owner>& field, const Owner& defaults) {
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = defaults.*member;
        using Value = std::remove_cvref_t<decltype(value)>;
        if constexpr (std::is_same_v<Value, bool>) {
          return value ? "true" : "false";
        } else if constexpr (std::is_integral_v<Value>) {
          return std::to_string(value);
        } else if constexpr (std::is_same_v<Value, std::string>) {
          return value.empty() ? "\"\"" : value;
        } else {
          std::string out = "[";
          for (const std::string& item : value) out += (out.size() > 1 ? ", " : "") + item;
          return out + "]";
        }
      },
      field.member);
}

template <typename Owner, std::size_t N>
std::map<std::string, YAML::Mark, std::less<>> read_fields(Reader& reader, const std::array<Field<Owner>, N>& fields,
                                                           const YAML::Node& map, const std::string& where,
                                                           Owner& owner) {
  return reader.keys(map, where, keys_of(fields), [&](const std::string& key, const YAML::Mark&, const YAML::Node& value) {
    read_field(reader, field_named(fields, key), value, where + "." + key, owner);
  });
}

// ---------------------------------------------------------------------------------------------
// Sections

void read_limits(Reader& reader, const YAML::Node& node, Limits& limits) {
  const auto seen = read_fields(reader, kLimitFields, node, "limits", limits);
  // One header line longer than all header bytes allowed could never be reached: a typo.
  if (limits.max_header_line_bytes > limits.max_header_bytes) {
    const auto at = seen.count("max_header_line_bytes") ? seen.find("max_header_line_bytes")
                                                        : seen.find("max_header_bytes");
    reader.error(at != seen.end() ? at->second : node.Mark(),
                 "limits.max_header_line_bytes (" + std::to_string(limits.max_header_line_bytes) +
                     ") is larger than limits.max_header_bytes (" + std::to_string(limits.max_header_bytes) + ")");
  }
}

void read_serve(Reader& reader, const YAML::Node& node, ServeConfig& serve) {
  const auto seen = read_fields(reader, kServeFields, node, "serve", serve);
  const auto mark_of = [&](std::string_view key) {
    const auto found = seen.find(key);
    return found != seen.end() ? found->second : node.Mark();
  };
  const bool has_certificate = !serve.tls_certificate_file.empty();
  if (has_certificate != !serve.tls_key_file.empty())
    reader.error(mark_of(has_certificate ? "tls_certificate_file" : "tls_key_file"),
                 "serve.tls_certificate_file and serve.tls_key_file must be set together");
  if (serve.require_starttls && !has_certificate)
    reader.error(mark_of("require_starttls"),
                 "serve.require_starttls needs serve.tls_certificate_file and serve.tls_key_file");
  if (serve.max_sessions_per_client > serve.max_sessions)
    reader.error(mark_of("max_sessions_per_client"),
                 "serve.max_sessions_per_client (" + std::to_string(serve.max_sessions_per_client) +
                     ") is larger than serve.max_sessions (" + std::to_string(serve.max_sessions) + ")");
}

bool is_pipeline_action(std::string_view action) { return contains(kPipelineActions, action); }

bool never_crosses(TypeClass cls) { return cls == TypeClass::executable || cls == TypeClass::script; }

// `match: any`, `match: pdf`, `match: [text, html]`.
std::optional<std::vector<TypeClass>> read_match(Reader& reader, const YAML::Node& node, const std::string& where) {
  const auto one = [&](const YAML::Node& item, bool in_list) -> std::optional<TypeClass> {
    std::optional<std::string> name = reader.non_empty_text(item, where);
    if (!name) return std::nullopt;
    if (*name == "any" && in_list) {
      reader.error(item.Mark(), where + ": 'any' cannot be combined with other classes; write match: any");
      return std::nullopt;
    }
    const std::optional<TypeClass> cls = type_class_from_string(*name);
    if (!cls)
      reader.error(item.Mark(), where + ": unknown type class " + shown(*name) + suggestion(*name, kClassNames) +
                                    " (classes: any, " + join(kClassNames) + ")");
    return cls;
  };
  if (node.IsScalar() && node.Scalar() == "any") return std::vector<TypeClass>{};
  if (node.IsScalar()) {
    const std::optional<TypeClass> cls = one(node, false);
    if (!cls) return std::nullopt;
    return std::vector<TypeClass>{*cls};
  }
  if (!node.IsSequence()) {
    reader.error(node.Mark(), where + ": expected a type class, a list of them, or any; got " + Reader::kind_of(node));
    return std::nullopt;
  }
  if (node.size() == 0) {
    reader.error(node.Mark(), where + ": empty list matches nothing; name classes or write match: any");
    return std::nullopt;
  }
  std::vector<TypeClass> classes;
  bool ok = true;
  for (const YAML::Node& item : node) {
    const std::optional<TypeClass> cls = one(item, true);
    if (!cls) {
      ok = false;
    } else if (std::find(classes.begin(), classes.end(), *cls) != classes.end()) {
      reader.error(item.Mark(), where + ": " + shown(to_string(*cls)) + " is listed twice");
      ok = false;
    } else {
      classes.push_back(*cls);
    }
  }
  if (!ok) return std::nullopt;
  return classes;
}

std::optional<ModuleOptions> read_options(Reader& reader, const YAML::Node& node, const std::string& where) {
  if (!reader.expect_map(node, where)) return std::nullopt;
  ModuleOptions options;
  bool ok = true;
  for (const auto& entry : node) {
    std::optional<std::string> key = reader.non_empty_text(entry.first, where + " key");
    if (!key) {
      ok = false;
      continue;
    }
    std::optional<std::string> value = reader.text(entry.second, where + "." + *key);
    if (!value) {
      ok = false;
    } else if (!options.emplace(*key, *value).second) {
      reader.error(entry.first.Mark(), where + "." + *key + " is given twice");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return options;
}

std::optional<Rule> read_rule(Reader& reader, const YAML::Node& node, const std::string& where) {
  Rule rule;
  rule.line = one_based(node.Mark().line);
  bool ok = true;
  std::optional<std::vector<TypeClass>> classes;
  std::optional<std::string> action;
  YAML::Mark action_mark, module_mark, options_mark;
  const auto seen = reader.keys(node, where, kRuleKeys, [&](const std::string& key, const YAML::Mark& key_mark,
                                                            const YAML::Node& value) {
    const std::string path = where + "." + key;
    if (key == "match") {
      classes = read_match(reader, value, path);
      ok = ok && classes.has_value();
    } else if (key == "action") {
      action_mark = value.Mark();
      action = reader.non_empty_text(value, path);
      if (action && !contains(kActions, *action)) {
        reader.error(value.Mark(), path + ": unknown action " + shown(*action) + suggestion(*action, kActions) +
                                       " (actions: " + join(kActions) + ")");
        action.reset();
      }
      ok = ok && action.has_value();
    } else if (key == "module") {
      module_mark = value.Mark();
      std::optional<std::string> module = reader.non_empty_text(value, path);
      if (module) rule.module = *module;
      ok = ok && module.has_value();
    } else if (key == "name") {
      std::optional<std::string> pattern = reader.non_empty_text(value, path);
      if (pattern) rule.name_pattern = *pattern;
      ok = ok && pattern.has_value();
    } else if (key == "max_bytes") {
      std::optional<std::int64_t> bytes = reader.integer(value, path, 1, kGiB);
      if (bytes) rule.max_bytes = static_cast<std::uint64_t>(*bytes);
      ok = ok && bytes.has_value();
    } else if (key == "options") {
      options_mark = key_mark;
      std::optional<ModuleOptions> options = read_options(reader, value, path);
      if (options) rule.options = std::move(*options);
      ok = ok && options.has_value();
    }
  });
  if (!node.IsMap()) return std::nullopt;
  if (!seen.count("match")) reader.error(node.Mark(), where + ": missing key 'match' (a type class, a list, or any)");
  if (!seen.count("action")) reader.error(node.Mark(), where + ": missing key 'action'");
  if (!ok || !classes || !action) return std::nullopt;
  rule.classes = std::move(*classes);
  rule.action = std::move(*action);

  // Executables and scripts never cross: not kept, not converted, not "sanitised".
  for (TypeClass cls : rule.classes)
    if (never_crosses(cls) && !is_pipeline_action(rule.action)) {
      reader.error(action_mark, where + ".action: " + std::string(to_string(cls)) +
                                    " content never crosses: only remove, reject-message or hold are allowed, got " +
                                    shown(rule.action));
      return std::nullopt;
    }
  // SVG crosses only as pixels: drawn by the image module (librsvg), never kept as SVG.
  for (TypeClass cls : rule.classes)
    if (cls == TypeClass::svg && !is_pipeline_action(rule.action) &&
        (rule.action != "re-encode" || (!rule.module.empty() && rule.module != "image") ||
         rule.options.count("svg") == 0 || rule.options.at("svg") != "rasterize")) {
      reader.error(action_mark, where + ".action: svg crosses only rasterised: remove, reject-message, hold, or "
                                        "re-encode with options: { svg: rasterize } (module image), got " +
                                        shown(rule.action));
      return std::nullopt;
    }
  if (is_pipeline_action(rule.action)) {
    if (!rule.module.empty()) {
      reader.error(module_mark, where + ".module: has no effect with action " + shown(rule.action) +
                                    " (the pipeline itself removes, rejects or holds)");
      return std::nullopt;
    }
    if (!rule.options.empty()) {
      reader.error(options_mark, where + ".options: have no effect with action " + shown(rule.action));
      return std::nullopt;
    }
  } else if (!rule.module.empty()) {
    const Sanitizer* module = sanitizers::find_module(rule.module);
    if (!module) {
      std::vector<std::string_view> names;
      for (const Sanitizer* candidate : sanitizers::all_modules()) names.push_back(candidate->name());
      reader.error(module_mark, where + ".module: unknown module " + shown(rule.module) +
                                    suggestion(rule.module, names) + " (modules: " + join(names) + ")");
      return std::nullopt;
    }
    if (!module->supports(rule.action)) {
      reader.error(module_mark, where + ".module: module " + shown(rule.module) + " does not support action " +
                                    shown(rule.action));
      return std::nullopt;
    }
  }
  return rule;
}

bool matches_everything(const Rule& rule) {
  return rule.classes.empty() && rule.name_pattern.empty() && !rule.max_bytes;
}

std::string profile_name_problem(std::string_view name) {
  if (name.empty() || name.size() > 64) return "profile names have 1 to 64 characters";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return "profile names use only letters, digits, '-', '_' and '.': " + shown(name);
  }
  return "";
}

void read_profile(Reader& reader, const std::string& name, const YAML::Node& node, Profile& profile) {
  const std::string where = "profiles." + name;
  profile.name = name;
  std::array<std::string_view, kProfileFields.size() + 1> known{};
  const auto field_keys = keys_of(kProfileFields);
  std::copy(field_keys.begin(), field_keys.end(), known.begin());
  known.back() = "rules";
  const auto seen = reader.keys(node, where, known, [&](const std::string& key, const YAML::Mark&,
                                                        const YAML::Node& value) {
    if (key != "rules") {
      read_field(reader, field_named(kProfileFields, key), value, where + "." + key, profile);
      return;
    }
    if (!reader.expect_sequence(value, where + ".rules")) return;
    const Rule* catch_all = nullptr;
    std::size_t index = 0;
    for (const YAML::Node& item : value) {
      const std::string rule_where = where + ".rules[" + std::to_string(index++) + "]";
      std::optional<Rule> rule = read_rule(reader, item, rule_where);
      if (!rule) continue;
      if (catch_all) {
        // A rule after a catch-all is dead text that an administrator believes is in force.
        reader.error(item.Mark(), rule_where + ": never used: the rule at line " + std::to_string(catch_all->line) +
                                      " already matches everything");
        continue;
      }
      profile.rules.push_back(std::move(*rule));
      if (matches_everything(profile.rules.back())) catch_all = &profile.rules.back();
    }
  });
  if (node.IsMap() && !seen.count("rules"))
    reader.error(node.Mark(), where + ": missing key 'rules' (write rules: [] to remove every part)");
}

void read_profiles(Reader& reader, const YAML::Node& node, Config& config) {
  if (!reader.expect_map(node, "profiles")) return;
  if (node.size() == 0) reader.error(node.Mark(), "profiles: no profile defined");
  for (const auto& entry : node) {
    std::optional<std::string> name = reader.text(entry.first, "profiles key");
    if (!name) continue;
    if (std::string problem = profile_name_problem(*name); !problem.empty()) {
      reader.error(entry.first.Mark(), "profiles: " + problem);
      continue;
    }
    if (config.profiles.count(*name)) {
      reader.error(entry.first.Mark(), "profiles." + *name + " is defined twice");
      continue;
    }
    Profile profile;
    read_profile(reader, *name, entry.second, profile);
    config.profiles.emplace(*name, std::move(profile));
  }
}

bool read_profile_reference(Reader& reader, const Config& config, const YAML::Node& value,
                            const std::string& where, std::string& target) {
  std::optional<std::string> name = reader.non_empty_text(value, where);
  if (!name) return false;
  if (!config.profiles.count(*name)) {
    std::vector<std::string_view> names;
    for (const auto& [known, profile] : config.profiles) names.push_back(known);
    reader.error(value.Mark(), where + ": unknown profile " + shown(*name) + suggestion(*name, names) +
                                   (names.empty() ? "" : " (profiles: " + join(names) + ")"));
    return false;
  }
  target = *name;
  return true;
}

void read_select(Reader& reader, const YAML::Node& node, Config& config) {
  if (!reader.expect_sequence(node, "select")) return;
  int first_default_line = 0;
  std::size_t index = 0;
  for (const YAML::Node& item : node) {
    const std::string where = "select[" + std::to_string(index++) + "]";
    SelectRule rule;
    rule.line = one_based(item.Mark().line);
    std::vector<std::string> selectors;
    YAML::Mark default_mark;
    bool ok = true;
    const auto seen = reader.keys(item, where, kSelectKeys, [&](const std::string& key, const YAML::Mark& key_mark,
                                                                const YAML::Node& value) {
      const std::string path = where + "." + key;
      if (key == "profile" || key == "default") {
        if (key == "default") {
          rule.is_default = true;
          default_mark = key_mark;
        }
        ok = read_profile_reference(reader, config, value, path, rule.profile) && ok;
        return;
      }
      selectors.push_back(key);
      std::optional<std::string> text = reader.non_empty_text(value, path);
      if (!text) {
        ok = false;
        return;
      }
      std::string normalised = lower(*text);
      const bool is_domain = key.ends_with("_domain");
      const std::string problem = is_domain ? domain_problem(normalised) : address_problem(normalised);
      if (!problem.empty()) {
        reader.error(value.Mark(), path + ": " + problem +
                                       (is_domain && normalised.find('@') != std::string::npos
                                            ? " (for one address use " + key.substr(0, key.size() - 7) + ":)"
                                            : ""));
        ok = false;
        return;
      }
      if (key == "recipient") rule.recipient = normalised;
      if (key == "recipient_domain") rule.recipient_domain = normalised;
      if (key == "sender") rule.sender = normalised;
      if (key == "sender_domain") rule.sender_domain = normalised;
    });
    if (!item.IsMap()) continue;
    if (rule.is_default) {
      if (!selectors.empty() || seen.count("profile")) {
        reader.error(item.Mark(), where + ": a default entry has only { default: PROFILE }");
        continue;
      }
      if (first_default_line != 0) {
        reader.error(default_mark, where + ": a second default (the first is at line " +
                                       std::to_string(first_default_line) + "); exactly one is allowed");
        continue;
      }
      first_default_line = rule.line;
    } else {
      if (selectors.empty())
        reader.error(item.Mark(), where + ": needs one of recipient, recipient_domain, sender, sender_domain "
                                          "(or is the { default: PROFILE } entry)");
      else if (selectors.size() > 1)
        reader.error(item.Mark(), where + ": has both " + selectors[0] + " and " + selectors[1] +
                                      "; write one entry for each");
      if (!seen.count("profile")) reader.error(item.Mark(), where + ": missing key 'profile'");
      if (selectors.size() != 1 || !seen.count("profile")) continue;
    }
    if (ok) config.select.push_back(std::move(rule));
  }
  if (first_default_line == 0) reader.error(node.Mark(), "select: needs exactly one { default: PROFILE } entry");
}

// --- transfer: (the file-transfer proxy, gateway/transfer) ---
std::string user_name_problem(std::string_view name) {
  if (name.empty() || name.size() > 64) return "user names have 1 to 64 characters";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return "user names use only letters, digits, '-', '_' and '.': " + shown(name);
  }
  if (name == "." || name == "..") return "user name " + shown(name) + " is reserved";
  return "";
}

// Only the shape is checked here; gateway/transfer decodes the hash when it starts.
std::string password_hash_problem(std::string_view hash) {
  if (!hash.starts_with("pbkdf2-sha256$") || std::count(hash.begin(), hash.end(), '$') != 3)
    return "expected pbkdf2-sha256$ITERATIONS$SALT$HASH (make one with `mugai transfer hash-password`)";
  return "";
}

void read_transfer_user(Reader& reader, const Config& config, const YAML::Node& node, const std::string& where,
                        TransferConfig& transfer) {
  TransferUser user;
  bool ok = true;
  const auto seen = reader.keys(node, where, kTransferUserKeys, [&](const std::string& key, const YAML::Mark&,
                                                                    const YAML::Node& value) {
    const std::string path = where + "." + key;
    if (key == "profiles") {
      if (!reader.expect_sequence(value, path) || value.size() == 0) {
        if (value.IsSequence()) reader.error(value.Mark(), path + ": name at least one profile");
        ok = false;
        return;
      }
      std::size_t index = 0;
      for (const YAML::Node& item : value) {
        std::string name;
        if (read_profile_reference(reader, config, item, path + "[" + std::to_string(index++) + "]", name))
          user.profiles.push_back(name);
        else
          ok = false;
      }
      return;
    }
    std::optional<std::string> text = reader.non_empty_text(value, path);
    if (!text) {
      ok = false;
      return;
    }
    const std::string problem = key == "name" ? user_name_problem(*text) : password_hash_problem(*text);
    if (!problem.empty()) {
      reader.error(value.Mark(), path + ": " + problem);
      ok = false;
      return;
    }
    (key == "name" ? user.name : user.password_hash) = *text;
  });
  if (!node.IsMap()) return;
  for (std::string_view key : kTransferUserKeys)
    if (!seen.count(key)) {
      reader.error(node.Mark(), where + ": missing key '" + std::string(key) + "'");
      ok = false;
    }
  if (!ok) return;
  for (const TransferUser& earlier : transfer.users)
    if (earlier.name == user.name) {
      reader.error(node.Mark(), where + ": user " + shown(user.name) + " is defined twice");
      return;
    }
  transfer.users.push_back(std::move(user));
}

void read_transfer(Reader& reader, const YAML::Node& node, Config& config) {
  TransferConfig& transfer = config.transfer;
  std::array<std::string_view, kTransferFields.size() + 1> known{};
  const auto field_keys = keys_of(kTransferFields);
  std::copy(field_keys.begin(), field_keys.end(), known.begin());
  known.back() = "users";
  const auto seen = reader.keys(node, "transfer", known, [&](const std::string& key, const YAML::Mark&,
                                                             const YAML::Node& value) {
    if (key != "users") {
      read_field(reader, field_named(kTransferFields, key), value, "transfer." + key, transfer);
      return;
    }
    if (!reader.expect_sequence(value, "transfer.users")) return;
    std::size_t index = 0;
    for (const YAML::Node& item : value)
      read_transfer_user(reader, config, item, "transfer.users[" + std::to_string(index++) + "]", transfer);
  });
  if (!node.IsMap()) return;
  const auto mark_of = [&](std::string_view key) {
    const auto found = seen.find(key);
    return found != seen.end() ? found->second : node.Mark();
  };
  const bool has_certificate = !transfer.tls_certificate_file.empty();
  if (has_certificate != !transfer.tls_key_file.empty())
    reader.error(mark_of(has_certificate ? "tls_certificate_file" : "tls_key_file"),
                 "transfer.tls_certificate_file and transfer.tls_key_file must be set together");
  if (!transfer.enabled) return;
  if (transfer.max_upload_bytes > config.limits.max_message_bytes)
    reader.error(mark_of("max_upload_bytes"),
                 "transfer.max_upload_bytes (" + std::to_string(transfer.max_upload_bytes) +
                     ") is larger than limits.max_message_bytes (" +
                     std::to_string(config.limits.max_message_bytes) + "): such uploads could never pass");
  // A sanitised file must have a way to reach the LGWAN side, and someone must be able to log in.
  if (transfer.download_port == 0 && transfer.outbox_dir.empty())
    reader.error(mark_of("download_port"), "transfer: with download_port 0, set transfer.outbox_dir "
                                           "(otherwise sanitised files can never be collected)");
  if (transfer.download_port != 0 && transfer.download_port == transfer.upload_port &&
      transfer.download_address == transfer.upload_address)
    reader.error(mark_of("download_port"), "transfer: the upload and download listeners must differ "
                                           "(the download listener belongs to the LGWAN side)");
  if (transfer.users.empty())
    reader.error(mark_of("users"), "transfer: enabled without users (add transfer.users: "
                                   "[{ name, password_hash, profiles }])");
}
// --- end transfer ---

// --- release: (the quarantine release workflow, gateway/release) ---
void read_release_staff(Reader& reader, const YAML::Node& node, const std::string& where, ReleaseConfig& release) {
  ReleaseStaff staff;
  bool ok = true;
  const auto seen = reader.keys(node, where, kReleaseStaffKeys, [&](const std::string& key, const YAML::Mark&,
                                                                    const YAML::Node& value) {
    const std::string path = where + "." + key;
    if (key == "addresses") {
      std::optional<std::vector<std::string>> addresses = reader.text_list(value, path);
      if (!addresses || addresses->empty()) {
        if (addresses) reader.error(value.Mark(), path + ": name at least one address");
        ok = false;
        return;
      }
      for (std::string& address : *addresses) {
        address = lower(address);
        if (std::string problem = address_problem(address); !problem.empty()) {
          reader.error(value.Mark(), path + ": " + problem);
          ok = false;
        }
      }
      staff.addresses = std::move(*addresses);
      return;
    }
    std::optional<std::string> text = reader.non_empty_text(value, path);
    if (!text) {
      ok = false;
      return;
    }
    if (std::string problem = user_name_problem(*text); !problem.empty()) {
      reader.error(value.Mark(), path + ": " + problem);
      ok = false;
      return;
    }
    (key == "user" ? staff.user : staff.superior) = *text;
  });
  if (!node.IsMap()) return;
  for (std::string_view key : {"user", "addresses"})
    if (!seen.count(key)) {
      reader.error(node.Mark(), where + ": missing key '" + std::string(key) + "'");
      ok = false;
    }
  if (ok && staff.superior == staff.user) {
    reader.error(node.Mark(), where + ": " + shown(staff.user) + " cannot be their own superior");
    ok = false;
  }
  for (const ReleaseStaff& earlier : release.staff)
    if (ok && earlier.user == staff.user) {
      reader.error(node.Mark(), where + ": user " + shown(staff.user) + " is listed twice");
      ok = false;
    }
  if (ok) release.staff.push_back(std::move(staff));
}

void read_release(Reader& reader, const YAML::Node& node, Config& config) {
  ReleaseConfig& release = config.release;
  std::array<std::string_view, kReleaseFields.size() + 1> known{};
  const auto field_keys = keys_of(kReleaseFields);
  std::copy(field_keys.begin(), field_keys.end(), known.begin());
  known.back() = "staff";
  const auto seen = reader.keys(node, "release", known, [&](const std::string& key, const YAML::Mark&,
                                                            const YAML::Node& value) {
    if (key != "staff") {
      read_field(reader, field_named(kReleaseFields, key), value, "release." + key, release);
      return;
    }
    if (!reader.expect_sequence(value, "release.staff")) return;
    std::size_t index = 0;
    for (const YAML::Node& item : value)
      read_release_staff(reader, item, "release.staff[" + std::to_string(index++) + "]", release);
  });
  if (!release.enabled) return;
  if (!config.transfer.enabled)
    reader.error(node.Mark(), "release: the release pages are served by the transfer listener; "
                              "set transfer.enabled: true as well");
  if (!release.trusted_proxy_header.empty() && release.trusted_proxies.empty())
    reader.error(node.Mark(), "release: trusted_proxy_header without trusted_proxies would believe anyone");
}
// --- end release ---

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (base_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).string();
}

// Reads at most `limit` bytes; nullopt with `why` set on failure.
std::optional<std::string> read_small_file(const std::string& path, std::size_t limit, std::string& why) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    why = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::string data(limit + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.bad()) {
    why = "read error";
    return std::nullopt;
  }
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > limit) {
    why = "larger than " + std::to_string(limit) + " bytes";
    return std::nullopt;
  }
  return data;
}

void read_notice_template(Reader& reader, const YAML::Node& node, const std::string& base_dir, Config& config) {
  std::optional<std::string> path = reader.non_empty_text(node, "notice_template_file");
  if (!path) return;
  std::string why;
  std::optional<std::string> text = read_small_file(resolve(*path, base_dir), kMaxNoticeTemplateBytes, why);
  if (!text) {
    reader.error(node.Mark(), "notice_template_file: cannot read " + shown(*path) + ": " + why);
    return;
  }
  if (!valid_utf8(*text)) {
    reader.error(node.Mark(), "notice_template_file: " + shown(*path) + " is not valid UTF-8");
    return;
  }
  // An unknown placeholder would reach every recipient verbatim.
  for (std::size_t open = text->find("{{"); open != std::string::npos; open = text->find("{{", open + 2)) {
    const std::size_t close = text->find("}}", open + 2);
    const std::string name = close == std::string::npos ? "" : text->substr(open + 2, close - open - 2);
    if (!contains(kNoticePlaceholders, name)) {
      reader.error(node.Mark(), "notice_template_file: unknown placeholder {{" + name.substr(0, 40) + "}} in " +
                                    shown(*path) + suggestion(name, kNoticePlaceholders) +
                                    " (placeholders: " + join(kNoticePlaceholders) + ")");
      return;
    }
  }
  config.notice_template_ja_en = std::move(*text);
}

// Loads every plug-in of the directory into this process's module registry (sanitizers/plugin).
// A plug-in that cannot be used is a configuration error: a rule naming it must not silently
// fall back to "no module" (remove).
void read_plugin_dir(Reader& reader, const YAML::Node& node, const std::string& base_dir, Config& config) {
  std::optional<std::string> dir = reader.non_empty_text(node, "plugin_dir");
  if (!dir) return;
  std::filesystem::path path(*dir);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  config.plugin_dir = path.string();
  if (!std::filesystem::is_directory(path)) {
    reader.error(node.Mark(), "plugin_dir: " + shown(config.plugin_dir) + " is not a directory");
    return;
  }
  const sanitizers::plugin::LoadReport loaded =
      sanitizers::plugin::load_plugin_directory(config.plugin_dir, config.serve.worker_user);
  for (const std::string& problem : loaded.errors) reader.error(node.Mark(), "plugin_dir: " + problem);
}

void read_config(Reader& reader, const YAML::Node& root, const std::string& base_dir, Config& config) {
  if (root.IsNull()) {
    reader.error("the configuration is empty (it needs at least profiles: and select:)");
    return;
  }
  // Profiles first, whatever the order in the file: select refers to them.
  std::map<std::string, YAML::Node, std::less<>> sections;
  reader.keys(root, "the top level", kTopKeys, [&](const std::string& key, const YAML::Mark&, const YAML::Node& value) {
    sections.emplace(key, value);
  });
  if (!root.IsMap()) return;
  if (auto found = sections.find("limits"); found != sections.end()) read_limits(reader, found->second, config.limits);
  if (auto found = sections.find("serve"); found != sections.end()) read_serve(reader, found->second, config.serve);
  if (auto found = sections.find("clamd"); found != sections.end())
    read_fields(reader, kClamdFields, found->second, "clamd", config.clamd);
  if (auto found = sections.find("quarantine_dir"); found != sections.end()) {
    if (auto dir = reader.non_empty_text(found->second, "quarantine_dir")) config.quarantine_dir = *dir;
  }
  if (auto found = sections.find("notice_template_file"); found != sections.end())
    read_notice_template(reader, found->second, base_dir, config);
  // Plug-ins before profiles: rules name them as modules.
  if (auto found = sections.find("plugin_dir"); found != sections.end()) read_plugin_dir(reader, found->second, base_dir, config);
  if (auto found = sections.find("profiles"); found != sections.end()) read_profiles(reader, found->second, config);
  else reader.error(root.Mark(), "missing section 'profiles'");
  if (auto found = sections.find("select"); found != sections.end()) read_select(reader, found->second, config);
  else reader.error(root.Mark(), "missing section 'select' (at least - { default: PROFILE })");
  // After limits and profiles: transfer users name profiles, max_upload_bytes is checked against limits.
  if (auto found = sections.find("transfer"); found != sections.end()) read_transfer(reader, found->second, config);
  if (auto found = sections.find("quarantine_retention_days"); found != sections.end()) {
    if (auto days = reader.integer(found->second, "quarantine_retention_days", 1, 3'650))
      config.quarantine_retention_days = static_cast<int>(*days);
  }
  if (auto found = sections.find("release"); found != sections.end()) read_release(reader, found->second, config);
}

// Where the first alias is, if any; the event parser builds no nodes. A bounded number of
// events: a YAML text of at most kMaxConfigFileBytes cannot need more (yaml-cpp's scanner also
// loops on the fuzz regression input, without consuming bytes).
class AliasFinder final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> alias;
  void OnDocumentStart(const YAML::Mark&) override { count(); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { count(); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    if (!alias) alias = mark;
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { count(); }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    count();
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    count();
  }
  void OnMapEnd() override {}

 private:
  void count() {
    if (++events_ > kMaxConfigFileBytes)
      throw std::runtime_error("more YAML nodes than bytes in a configuration can hold (a parser loop)");
  }
  std::size_t events_ = 0;
};

std::optional<YAML::Mark> first_alias(std::string_view yaml_text) {
  std::istringstream in{std::string(yaml_text)};
  YAML::Parser parser(in);
  AliasFinder finder;
  while (!finder.alias && parser.HandleNextDocument(finder)) {
  }
  return finder.alias;
}

}  // namespace

namespace {

// Where a second YAML document starts, if there is one; stops reading there.
class DocumentCounter final : public YAML::EventHandler {
 public:
  struct Second {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw Second{mark};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  int documents_ = 0;
};

std::optional<YAML::Mark> second_document(std::string_view yaml_text) {
  std::istringstream stream{std::string(yaml_text)};
  YAML::Parser parser(stream);
  DocumentCounter counter;
  try {
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (const DocumentCounter::Second& second) {
    return second.mark;
  }
  return std::nullopt;
}

}  // namespace

LoadResult load_config_text(std::string_view yaml_text) { return load_config_text(yaml_text, ""); }

LoadResult load_config_text(std::string_view yaml_text, const std::string& base_dir) {
  LoadResult result;
  Reader reader(result.errors);
  Config config;
  try {
    // A second `---` document would otherwise be ignored in silence. Counted by events and at
    // most two: yaml-cpp 0.7's LoadAll yields empty documents for ever on input such as ",{"
    // (found by fuzz/config; regression input fuzz/corpus/config/regress-leading-comma-flow).
    if (const std::optional<YAML::Mark> second = second_document(yaml_text)) {
      reader.error(*second, "a second YAML document ('---'); the configuration is one document");
      return result;
    }
    // yaml-cpp 0.7 also loops allocating for ever on an anchor whose node contains its own alias
    // (found by fuzz/config: 142 bytes, > 1.6 GB). The configuration needs no aliases: they are
    // refused on the event stream, before any node is built.
    if (const std::optional<YAML::Mark> alias = first_alias(yaml_text)) {
      reader.error(*alias, "YAML aliases (*name) are not allowed in the configuration; write the value out");
      return result;
    }
    read_config(reader, YAML::Load(std::string(yaml_text)), base_dir, config);
  } catch (const YAML::Exception& error) {
    reader.error(error.mark, "YAML syntax: " + error.msg);
  } catch (const std::exception& error) {
    reader.error(std::string("cannot read the configuration: ") + error.what());
  }
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  if (result.errors.size() >= kMaxReportedErrors) result.errors.push_back({0, 0, "too many errors; stopped"});
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

LoadResult load_config_file(const std::string& path) {
  std::string why;
  std::optional<std::string> text = read_small_file(path, kMaxConfigFileBytes, why);
  if (!text) {
    LoadResult result;
    result.errors.push_back({0, 0, "cannot read " + path + ": " + why});
    return result;
  }
  return load_config_text(*text, std::filesystem::path(path).parent_path().string());
}

std::string_view embedded_config_text() { return embedded::default_config; }

const Config& embedded_config() {
  static const Config config = [] {
    LoadResult loaded = load_config_text(embedded::default_config);
    if (!loaded.config) {
      // A broken invariant (test_config proves the embedded text valid): never run on a guess.
      for (const ConfigError& error : loaded.errors)
        std::cerr << format_config_error("(embedded config/mugai.yaml)", error) << "\n";
      std::abort();
    }
    return std::move(*loaded.config);
  }();
  return config;
}

std::string format_config_error(std::string_view file, const ConfigError& error) {
  std::string out(file);
  if (error.line > 0) out += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
  return out + ": error: " + error.message;
}

std::vector<ConfigKey> accepted_config_keys() {
  std::vector<ConfigKey> keys;
  const Config defaults;
  for (std::string_view section : {"limits", "serve", "profiles", "select", "clamd"})
    keys.push_back({std::string(section), {}});
  keys.push_back({"quarantine_dir", defaults.quarantine_dir});
  keys.push_back({"notice_template_file", std::nullopt});
  keys.push_back({"plugin_dir", std::nullopt});
  for (const auto& field : kLimitFields) keys.push_back({"limits." + std::string(field.key), default_text(field, defaults.limits)});
  for (const auto& field : kServeFields) keys.push_back({"serve." + std::string(field.key), default_text(field, defaults.serve)});
  for (const auto& field : kClamdFields) keys.push_back({"clamd." + std::string(field.key), default_text(field, defaults.clamd)});
  keys.push_back({"profiles.NAME", std::nullopt});
  const Profile profile_defaults;
  for (const auto& field : kProfileFields)
    keys.push_back({"profiles.NAME." + std::string(field.key), default_text(field, profile_defaults)});
  keys.push_back({"profiles.NAME.rules", std::nullopt});
  for (std::string_view key : kRuleKeys) keys.push_back({"profiles.NAME.rules[]." + std::string(key), std::nullopt});
  for (std::string_view key : kSelectKeys) keys.push_back({"select[]." + std::string(key), std::nullopt});
  keys.push_back({"transfer", std::nullopt});
  for (const auto& field : kTransferFields)
    keys.push_back({"transfer." + std::string(field.key), default_text(field, defaults.transfer)});
  keys.push_back({"transfer.users", std::nullopt});
  for (std::string_view key : kTransferUserKeys) keys.push_back({"transfer.users[]." + std::string(key), std::nullopt});
  keys.push_back({"quarantine_retention_days", std::to_string(defaults.quarantine_retention_days)});
  keys.push_back({"release", std::nullopt});
  for (const auto& field : kReleaseFields)
    keys.push_back({"release." + std::string(field.key), default_text(field, defaults.release)});
  keys.push_back({"release.staff", std::nullopt});
  for (std::string_view key : kReleaseStaffKeys) keys.push_back({"release.staff[]." + std::string(key), std::nullopt});
  return keys;
}

}  // namespace mugai::core
