// `mugai config check FILE`: validate a configuration before it is deployed (errors as
// FILE:LINE:COL: error: MESSAGE, like a compiler, so editors jump to them).
// `mugai config show`: print the configuration compiled into the binary, a starting point to copy.
#include <iostream>

#include "commands.h"
#include "mugai/core/config_loader.h"

namespace mugai::cli {
namespace {

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 64;

void print_usage(std::ostream& out) {
  out << "usage: mugai config check FILE   validate FILE; errors as FILE:LINE:COL: error: ...\n"
         "       mugai config show         print the embedded default configuration\n";
}

std::string_view default_profile(const core::Config& config) {
  for (const core::SelectRule& rule : config.select)
    if (rule.is_default) return rule.profile;
  return "";
}

int check(const std::string& path) {
  const core::LoadResult loaded = core::load_config_file(path);
  if (!loaded.config) {
    for (const core::ConfigError& error : loaded.errors) std::cerr << core::format_config_error(path, error) << "\n";
    if (loaded.errors.empty()) std::cerr << path << ": error: configuration not loaded\n";
    return kExitInvalid;
  }
  const core::Config& config = *loaded.config;
  std::cout << path << ": ok (" << config.profiles.size() << (config.profiles.size() == 1 ? " profile" : " profiles")
            << ", default " << default_profile(config) << ")\n";
  return 0;
}

}  // namespace

int run_config(const Args& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    print_usage(std::cout);
    return 0;
  }
  if (args.size() == 2 && args[0] == "check" && !args[1].empty()) return check(args[1]);
  if (args.size() == 1 && args[0] == "show") {
    std::cout << core::embedded_config_text();
    std::cout.flush();
    return std::cout ? 0 : kExitInvalid;
  }
  print_usage(std::cerr);
  return kExitUsage;
}

}  // namespace mugai::cli
