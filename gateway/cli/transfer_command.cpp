// `mugai transfer hash-password [--iterations N]`: reads a password from stdin (one line) and
// prints the salted hash to put into transfer.users[].password_hash. The password is never an
// argument, so it does not land in the shell history or the process list.
#include <unistd.h>

#include <charconv>
#include <iostream>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "mugai/transfer/password_hash.h"

namespace mugai::cli {

int run_transfer(const Args& args) {
  if (args.empty() || args[0] != "hash-password") {
    std::cerr << "usage: mugai transfer hash-password [--iterations N]   (password on stdin)\n";
    return kExitUsage;
  }
  int iterations = transfer::kDefaultPbkdf2Iterations;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--iterations" && i + 1 < args.size()) {
      const std::string& text = args[++i];
      const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), iterations);
      if (status != std::errc() || end != text.data() + text.size() || iterations < transfer::kMinPbkdf2Iterations ||
          iterations > transfer::kMaxPbkdf2Iterations) {
        std::cerr << "mugai transfer: --iterations must be " << transfer::kMinPbkdf2Iterations << " to "
                  << transfer::kMaxPbkdf2Iterations << "\n";
        return kExitUsage;
      }
    } else {
      std::cerr << "usage: mugai transfer hash-password [--iterations N]   (password on stdin)\n";
      return kExitUsage;
    }
  }
  if (isatty(STDIN_FILENO)) std::cerr << "password: " << std::flush;
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    std::cerr << "mugai transfer: no password on stdin\n";
    return kExitUsage;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  std::cout << transfer::hash_password(password, iterations) << "\n";
  return 0;
}

}  // namespace mugai::cli
