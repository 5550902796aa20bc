// Loads vendor plug-ins (mugai/plugin.h) from a directory and registers each as a run-time module
// (mugai/registry.h). Every refusal is named: no entry point, wrong ABI version, malformed table,
// duplicate name. Libraries stay loaded for the life of the process.
//
// A process that must never run vendor code (the daemon, the CLI front ends) installs a
// describer: each plug-in's table is then read by a sandboxed helper process, and the module
// registered here only describes the plug-in (rules can name it; run() refuses). Only the
// isolated workers, which install no describer, load the library itself.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mugai/plugin.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::plugin {

struct LoadReport {
  std::vector<std::string> loaded;  // module names
  std::vector<std::string> errors;  // "<file>: <why>"
};

// What a v1 table says of itself: all a process needs to check profile rules against it.
struct PluginDescription {
  std::string name;
  std::vector<std::string> mime_types;
  std::vector<std::string> actions;
};
PluginDescription describe(const mugai_plugin_v1_table& table);
// "" when a description (from another process) is usable, else why not.
std::string description_problem(const PluginDescription& description);

// Reads the table of the plug-in at `path` elsewhere, as `user` where it can switch users;
// nullopt with `error` set when it is not a usable plug-in.
using Describer =
    std::function<std::optional<PluginDescription>(const std::string& path, const std::string& user, std::string& error)>;
void use_describer(Describer describer);  // nullptr: load in this process (the default)

// Every "*.so" in `directory` (sorted by name). A file already loaded by this process is skipped.
// `user`: serve.worker_user, for the describer.
LoadReport load_plugin_directory(const std::string& directory, const std::string& user = "nobody");

// One shared object; nullptr and `error` when it is not a usable v1 plug-in. Not registered.
std::unique_ptr<Sanitizer> open_plugin(const std::string& path, std::string& error);

// Wraps a v1 table as a module (also used by the plug-in fuzzer, fuzz/plugin).
std::unique_ptr<Sanitizer> make_plugin_module(const mugai_plugin_v1_table& table);
// Loads the plug-in in this process and returns its table's description (the describe helper).
std::optional<PluginDescription> read_plugin_description(const std::string& path, std::string& error);
// A module that only describes a plug-in loaded elsewhere: run() removes the part, saying so.
std::unique_ptr<Sanitizer> make_described_module(PluginDescription description);
// "" when the table is usable, else why not.
std::string table_problem(const mugai_plugin_v1_table* table);

}  // namespace mugai::sanitizers::plugin
