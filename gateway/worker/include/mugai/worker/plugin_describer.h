// Reads a vendor plug-in's table without running any of its code in this process: a helper
// `mugai worker --describe-plugin PATH` enters the worker sandbox (limits, user, seccomp,
// Landlock), loads the library there (its load-time initialisers run there) and writes the
// table's name, types and actions as JSON to a pipe. Installed as the plug-in describer
// (sanitizers/plugin/plugin_loader.h) by every mugai command except the worker itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugin_loader.h"

namespace mugai::worker {

std::optional<sanitizers::plugin::PluginDescription> describe_plugin_isolated(const std::string& path,
                                                                             const std::string& user,
                                                                             std::string& error);

// The helper's side (worker_main.cpp): `args` after "--describe-plugin".
int describe_plugin_main(const std::vector<std::string>& args);

}  // namespace mugai::worker
