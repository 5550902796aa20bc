// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_audit(const Args&) {
  std::cerr << "mugai: 'audit' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
