// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_demo(const Args&) {
  std::cerr << "mugai: 'demo' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
