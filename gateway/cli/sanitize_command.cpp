// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_sanitize(const Args&) {
  std::cerr << "mugai: 'sanitize' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
