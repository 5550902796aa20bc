// A plug-in built for a future ABI: mugai must refuse it by name, never call into it.
#include "mugai/plugin.h"

namespace {
int32_t never(const mugai_plugin_input*, mugai_plugin_result*) { return 1; }
void nothing(mugai_plugin_result*) {}
const char* const kTypes[] = {"text/plain", nullptr};
const char* const kActions[] = {"keep", nullptr};
const mugai_plugin_v1_table kTable{2, sizeof(mugai_plugin_v1_table), "future", kTypes, kActions, never, nothing};
}  // namespace

extern "C" __attribute__((visibility("default"))) const mugai_plugin_v1_table* mugai_plugin_v1(void) { return &kTable; }
