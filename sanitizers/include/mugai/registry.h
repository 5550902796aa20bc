// The one table of built-in sanitiser modules (registry.cpp lists them explicitly: no static
// initialisers, which static libraries silently drop), plus the modules registered at run time
// (vendor plug-ins, plugin_loader.h). Profiles name modules, not classes.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers {

std::span<const Sanitizer* const> builtin_modules();
// Built-ins, then run-time modules, in registration order.
std::vector<const Sanitizer*> all_modules();
// A built-in or a run-time module by name.
const Sanitizer* find_module(std::string_view name);
// First registered built-in that handles `type` and supports `action`, or nullptr. Run-time
// modules are never chosen implicitly: a profile rule has to name them (`module:`).
const Sanitizer* module_for(const FileType& type, std::string_view action);

// Adds a run-time module (thread-safe; modules are never removed). false when the name is
// already taken (a plug-in never shadows a built-in or an earlier plug-in).
bool register_runtime_module(std::unique_ptr<Sanitizer> module);

}  // namespace mugai::sanitizers
