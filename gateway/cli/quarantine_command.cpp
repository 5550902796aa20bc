// `mugai quarantine list|show ID [--config FILE | --dir DIR] [--original]`: what the quarantine
// holds, for administrators (`release` is release_command.cpp). Everything shown (subjects, senders, names, reports) is
// attacker-chosen text: it is escaped before it reaches a terminal.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cli_support.h"
#include "commands.h"
#include "mugai/core/quarantine.h"

namespace mugai::cli {
namespace {

constexpr int kExitIoError = 74;

struct QuarantineOptions {
  std::string action;  // list | show
  std::string id;
  std::string config_path;
  std::string directory;
  bool original = false;
};

void usage() {
  std::cerr << "usage: mugai quarantine list [--config FILE | --dir DIR]\n"
               "       mugai quarantine show ID [--config FILE | --dir DIR] [--original]\n"
               "       mugai quarantine release ID --password-file FILE [--by USER] [--config FILE] [-o FILE]\n"
               "       mugai quarantine request ID --as USER [--password-file FILE] [--config FILE]\n"
               "       mugai quarantine approve|deny ID --by USER [--comment TEXT] [--config FILE]\n"
               "       mugai quarantine settle ID --by ADMIN --delivered|--not-delivered [--comment TEXT] [--config FILE]\n"
               "       mugai quarantine purge [--config FILE]\n"
               "  ID: the full SHA-256, or a unique prefix of at least 8 hex characters\n";
}

std::optional<QuarantineOptions> parse_options(const Args& args) {
  QuarantineOptions options;
  bool config_given = false;
  bool directory_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--config" && has_value) {
      options.config_path = args[++i];
      config_given = true;
    } else if (arg == "--dir" && has_value) {
      options.directory = args[++i];
      directory_given = true;
    } else if (arg == "--original") {
      options.original = true;
    } else if (arg.starts_with("-")) {
      std::cerr << "mugai quarantine: unknown or incomplete option '" << arg << "'\n";
      return std::nullopt;
    } else if (options.action.empty()) {
      options.action = arg;
    } else if (options.action == "show" && options.id.empty()) {
      options.id = arg;
    } else {
      std::cerr << "mugai quarantine: unexpected argument '" << arg << "'\n";
      return std::nullopt;
    }
  }
  if (config_given && directory_given) {
    std::cerr << "mugai quarantine: give --config or --dir, not both\n";
    return std::nullopt;
  }
  if (options.action != "list" && options.action != "show") return std::nullopt;
  if (options.action == "show" && options.id.empty()) {
    std::cerr << "mugai quarantine show: which ID?\n";
    return std::nullopt;
  }
  if (options.action == "list" && options.original) return std::nullopt;
  if (options.directory.empty() && directory_given) {
    std::cerr << "mugai quarantine: --dir is empty\n";
    return std::nullopt;
  }
  return options;
}

void append_hex_escape(std::string& out, const char* prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// Control characters (ESC sequences that rewrite the administrator's terminal, newlines and tabs
// that forge extra lines or columns) and bidirectional overrides (which make a name read as
// something else) are escaped; everything else, Japanese included, is printed as is.
// The report is JSON (controls inside strings are already escaped); only bidi controls, which
// JSON may carry raw and which would reorder what the administrator sees, are escaped here.
std::string json_for_terminal(const std::string& report_json) {
  nlohmann::json parsed = nlohmann::json::parse(report_json, nullptr, false);
  if (parsed.is_discarded()) return "(report not readable as JSON)";
  const std::string text = parsed.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xE2 && i + 2 < text.size()) {
      const unsigned code = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      if (code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
          (code >= 0x2066 && code <= 0x2069)) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", code);
        out += escaped;
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (c < 0x20 || c == 0x7F) {
      append_hex_escape(out, "\\x", c, 2);
      ++i;
    } else if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c == 0xC2 && i + 1 < text.size() && at(1) >= 0x80 && at(1) <= 0x9F) {  // C1 controls
      append_hex_escape(out, "\\u", at(1), 4);
      i += 2;
    } else if (c == 0xE2 && i + 2 < text.size()) {
      const unsigned code = ((c & 0x0Fu) << 12) | ((at(1) & 0x3Fu) << 6) | (at(2) & 0x3Fu);
      const bool bidi = code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
                        (code >= 0x2066 && code <= 0x2069);
      if (bidi) append_hex_escape(out, "\\u", code, 4);
      else out.append(text.substr(i, 3));
      i += 3;
    } else {
      out += static_cast<char>(c);
      ++i;
    }
  }
  return out;
}

std::string field(std::string_view text) { return text.empty() ? "-" : printable(text); }

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ", ") + printable(value);
  return out.empty() ? "-" : out;
}

int list(const core::Quarantine& quarantine) {
  for (const core::QuarantineEntry& entry : quarantine.list())
    std::cout << entry.id << '\t' << field(entry.stored_at) << '\t' << field(entry.kind) << '\t'
              << field(entry.verdict) << '\t' << entry.size << '\t' << field(entry.sender) << '\t'
              << field(entry.subject) << '\n';
  std::cout.flush();
  return std::cout ? 0 : kExitIoError;
}

void print_metadata(const core::Quarantine& quarantine, const core::QuarantineEntry& entry) {
  std::cout << "id:          " << entry.id << "\n"
            << "stored_at:   " << field(entry.stored_at) << "\n"
            << "kind:        " << field(entry.kind) << "\n"
            << "sender:      " << field(entry.sender) << "\n"
            << "recipients:  " << joined(entry.recipients) << "\n"
            << "subject:     " << field(entry.subject) << "\n"
            << "profile:     " << field(entry.profile) << "\n"
            << "verdict:     " << field(entry.verdict) << "\n"
            << "size:        " << entry.size << " bytes\n"
            << "original:    " << printable(quarantine.directory()) << "/" << entry.id.substr(0, 2) << "/"
            << entry.id << ".orig\n"
            << "deliveries:  " << entry.delivery_count << "\n";
  for (const core::QuarantineDelivery& later : entry.deliveries)
    std::cout << "  again " << field(later.stored_at) << " from " << field(later.sender) << " to "
              << joined(later.recipients) << " (" << field(later.verdict) << ", profile " << field(later.profile)
              << ")\n";
  if (entry.delivery_count > entry.deliveries.size() + 1)
    std::cout << "  (" << entry.delivery_count - entry.deliveries.size() - 1 << " more not recorded)\n";
  std::cout << "report:\n" << json_for_terminal(entry.report_json) << "\n";
}

int show(const core::Quarantine& quarantine, const QuarantineOptions& options) {
  const core::IdLookup lookup = quarantine.resolve(options.id);
  switch (lookup.match) {
    case core::IdMatch::invalid:
      std::cerr << "mugai quarantine show: '" << printable(options.id)
                << "' is not an ID (64 lower-case hex characters, or a prefix of at least 8)\n";
      return kExitUsage;
    case core::IdMatch::not_found:
      std::cerr << "mugai quarantine show: no entry " << options.id << " in " << printable(quarantine.directory())
                << "\n";
      return kExitNoInput;
    case core::IdMatch::ambiguous:
      std::cerr << "mugai quarantine show: prefix " << options.id << " matches several entries:\n";
      for (const std::string& candidate : lookup.candidates) std::cerr << "  " << candidate << "\n";
      return kExitUsage;
    case core::IdMatch::found:
      break;
  }
  if (options.original) {
    // The original is hostile by definition: raw bytes on a terminal can drive it.
    if (::isatty(STDOUT_FILENO)) {
      std::cerr << "mugai quarantine show --original: refusing to write a hostile original to a terminal; "
                   "redirect standard output to a file\n";
      return kExitUsage;
    }
    const std::optional<std::string> bytes = quarantine.original(lookup.id);
    if (!bytes) {
      std::cerr << "mugai quarantine show: the original of " << lookup.id << " is missing\n";
      return kExitNoInput;
    }
    if (std::fwrite(bytes->data(), 1, bytes->size(), stdout) != bytes->size() || std::fflush(stdout) != 0) {
      std::cerr << "mugai quarantine show: cannot write the original\n";
      return kExitIoError;
    }
    return 0;
  }
  const std::optional<core::QuarantineEntry> entry = quarantine.find(lookup.id);
  if (!entry) {
    std::cerr << "mugai quarantine show: no entry " << lookup.id << "\n";
    return kExitNoInput;
  }
  print_metadata(quarantine, *entry);
  std::cout.flush();
  return std::cout ? 0 : kExitIoError;
}

}  // namespace

int run_quarantine(const Args& args) {
  if (!args.empty() && args.front() == "release") return run_quarantine_release(Args(args.begin() + 1, args.end()));
  for (const char* workflow : {"request", "approve", "deny", "settle", "purge"})  // issue 9
    if (!args.empty() && args.front() == workflow) return run_quarantine_workflow(workflow, Args(args.begin() + 1, args.end()));
  const std::optional<QuarantineOptions> options = parse_options(args);
  if (!options) {
    usage();
    return kExitUsage;
  }
  std::string directory = options->directory;
  if (directory.empty()) {
    const std::optional<core::Config> config = load_config_or_report(options->config_path);
    if (!config) return kExitConfig;
    directory = config->quarantine_dir;
  }
  try {
    const core::Quarantine quarantine(directory);
    return options->action == "list" ? list(quarantine) : show(quarantine, *options);
  } catch (const std::runtime_error& error) {
    std::cerr << "mugai quarantine: " << error.what() << "\n";
    return kExitIoError;
  }
}

}  // namespace mugai::cli
