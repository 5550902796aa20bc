// A plug-in with load-time code: its initialiser says on stderr which process loaded it, and as
// which user. The isolation test checks that this is never the daemon, and never root.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "mugai/plugin.h"

namespace {

int32_t keep(const mugai_plugin_input*, mugai_plugin_result* result) {
  result->action = MUGAI_PLUGIN_KEPT;
  result->reason = "loadtime-probe: kept";
  return 0;
}
void nothing(mugai_plugin_result*) {}
const char* const kTypes[] = {"text/*", nullptr};
const char* const kActions[] = {"keep", nullptr};
const mugai_plugin_v1_table kTable{MUGAI_PLUGIN_ABI_VERSION, sizeof(mugai_plugin_v1_table), "loadtime-probe", kTypes,
                                   kActions, keep, nothing};

__attribute__((constructor)) void say_who_loaded_me() {
  char line[96];
  const int size = std::snprintf(line, sizeof line, "mugai-test-plugin-loaded pid=%d uid=%d\n",
                                 static_cast<int>(::getpid()), static_cast<int>(::getuid()));
  if (size > 0) static_cast<void>(::write(2, line, static_cast<std::size_t>(size)));
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const mugai_plugin_v1_table* mugai_plugin_v1(void) { return &kTable; }
