// Loads vendor plug-ins (mugai/plugin.h) from a directory and registers each as a run-time module
// (mugai/registry.h). Every refusal is named: no entry point, wrong ABI version, malformed table,
// duplicate name. Libraries stay loaded for the life of the process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mugai/plugin.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::plugin {

struct LoadReport {
  std::vector<std::string> loaded;  // module names
  std::vector<std::string> errors;  // "<file>: <why>"
};

// Every "*.so" in `directory` (sorted by name). A file already loaded by this process is skipped.
LoadReport load_plugin_directory(const std::string& directory);

// One shared object; nullptr and `error` when it is not a usable v1 plug-in. Not registered.
std::unique_ptr<Sanitizer> open_plugin(const std::string& path, std::string& error);

// Wraps a v1 table as a module (also used by the plug-in fuzzer, fuzz/plugin).
std::unique_ptr<Sanitizer> make_plugin_module(const mugai_plugin_v1_table& table);
// "" when the table is usable, else why not.
std::string table_problem(const mugai_plugin_v1_table* table);

}  // namespace mugai::sanitizers::plugin
