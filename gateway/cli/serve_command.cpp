// PLACEHOLDER until implemented.
#include <iostream>
#include "commands.h"
namespace mugai::cli {
int run_serve(const Args&) {
  std::cerr << "mugai: 'serve' is not implemented yet\n";
  return 69;
}
}  // namespace mugai::cli
