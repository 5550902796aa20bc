// `mugai` entry point: dispatches to one sub-command. Exit codes: 0 success/delivered,
// 2 rejected (sanitize), anything else usage/config/internal error with a one-line reason.
#include <cstring>
#include <iostream>
#include <string_view>

#include "commands.h"
#include "mugai/worker/plugin_describer.h"
#include "mugai/worker/worker_main.h"

namespace {

constexpr int kUsageError = 64;

void print_usage(std::ostream& out) {
  out << "usage: mugai <command> [options]\n"
         "  sanitize [--config FILE] [--profile NAME] [--report R.json] [--file] [--in-process] IN|- [-o OUT|-]\n"
         "  serve [--config FILE]              run the SMTP proxy\n"
         "  demo [--config FILE] [--out DIR]   sanitise samples/ and summarise\n"
         "  config check FILE | config show     validate / print the embedded default\n"
         "  quarantine list|show ID [--config FILE | --dir DIR]\n"
         "  quarantine release ID --password-file FILE [--by USER] [--config FILE]\n"
         "  quarantine request ID --as USER [--password-file F] | approve|deny ID --by USER [--comment C] | purge\n"
         "  quarantine settle ID --by ADMIN --delivered|--not-delivered   an item a crash left in delivering\n"
         "  audit verify FILE [--hmac-key-file F]\n"
         "  transfer hash-password [--iterations N]   password on stdin -> transfer.users hash\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return kUsageError;
  }
  const std::string_view command = argv[1];
  const mugai::cli::Args args(argv + 2, argv + argc);
  // Vendor plug-in code never runs in a front-end process: their tables are read by a sandboxed
  // helper; only the isolated workers (and `sanitize --in-process`) load the libraries.
  if (command != "worker") mugai::sanitizers::plugin::use_describer(mugai::worker::describe_plugin_isolated);
  try {
    if (command == "sanitize") return mugai::cli::run_sanitize(args);
    if (command == "serve") return mugai::cli::run_serve(args);
    if (command == "demo") return mugai::cli::run_demo(args);
    if (command == "config") return mugai::cli::run_config(args);
    if (command == "quarantine") return mugai::cli::run_quarantine(args);
    if (command == "audit") return mugai::cli::run_audit(args);
    if (command == "transfer") return mugai::cli::run_transfer(args);
    // Hidden: started by `mugai serve` for its isolated worker pool (gateway/worker/README.md).
    if (command == "worker") return mugai::worker::worker_main(args);
    if (command == "--help" || command == "-h" || command == "help") {
      print_usage(std::cout);
      return 0;
    }
  } catch (const std::exception& error) {
    std::cerr << "mugai: internal error: " << error.what() << "\n";
    return 70;
  }
  std::cerr << "mugai: unknown command '" << command << "'\n";
  print_usage(std::cerr);
  return kUsageError;
}
