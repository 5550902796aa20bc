// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_quarantine(const Args&) {
  std::cerr << "mugai: 'quarantine' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
