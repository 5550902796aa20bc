// `mugai audit verify FILE [--hmac-key-file F]`: checks the audit log's hash chain, sequence
// numbers, .head sidecar and (with the key) every line's HMAC. Exit 0 when intact, 1 with the
// first problem (line number and what happened) otherwise.
#include <sys/stat.h>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "mugai/core/audit_log.h"

namespace mugai::cli {
namespace {

constexpr int kExitTampered = 1;

struct VerifyOptions {
  std::string file;
  std::string key_file;
};

void usage() { std::cerr << "usage: mugai audit verify FILE [--hmac-key-file F]\n"; }

std::optional<VerifyOptions> parse_options(const Args& args) {
  if (args.empty() || args[0] != "verify") return std::nullopt;
  VerifyOptions options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--hmac-key-file" && i + 1 < args.size()) {
      options.key_file = args[++i];
    } else if (args[i].starts_with("-") && args[i] != "-") {
      std::cerr << "mugai audit: unknown or incomplete option '" << args[i] << "'\n";
      return std::nullopt;
    } else if (options.file.empty()) {
      options.file = args[i];
    } else {
      std::cerr << "mugai audit: unexpected argument '" << args[i] << "'\n";
      return std::nullopt;
    }
  }
  if (options.file.empty()) return std::nullopt;
  return options;
}

}  // namespace

int run_audit(const Args& args) {
  const std::optional<VerifyOptions> options = parse_options(args);
  if (!options) {
    usage();
    return kExitUsage;
  }
  std::string key;
  if (!options->key_file.empty()) {
    try {
      key = core::read_hmac_key_file(options->key_file);
    } catch (const std::runtime_error& error) {
      std::cerr << "mugai audit: " << error.what() << "\n";
      return kExitNoInput;
    }
    struct stat info{};
    if (::stat(options->key_file.c_str(), &info) == 0 && (info.st_mode & 077) != 0)
      std::cerr << "mugai audit: warning: " << options->key_file
                << " is readable by other users: anyone who reads the key can forge audit lines\n";
  }
  const core::AuditVerification result = core::verify_audit_log(options->file, key);
  if (result.intact) {
    std::cout << options->file << ": ok, " << result.lines << " lines, chain intact\n";
    if (key.empty()) std::cerr << "note: no --hmac-key-file given: the hmac of each line was not checked\n";
    return 0;
  }
  if (result.kind == core::AuditProblem::unreadable && result.bad_line == 0) {
    std::cerr << options->file << ": " << result.problem << "\n";
    return kExitNoInput;
  }
  std::cout << options->file << ": " << result.problem << " [" << core::to_string(result.kind) << "]\n";
  return kExitTampered;
}

}  // namespace mugai::cli
