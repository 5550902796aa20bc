// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_config(const Args&) {
  std::cerr << "mugai: 'config' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
