// The one table of built-in sanitiser modules (registry.cpp lists them explicitly: no static
// initialisers, which static libraries silently drop). Profiles name modules, not classes.
#pragma once

#include <span>
#include <string_view>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers {

std::span<const Sanitizer* const> builtin_modules();
const Sanitizer* find_module(std::string_view name);
// First registered module that handles `type` and supports `action`, or nullptr.
const Sanitizer* module_for(const FileType& type, std::string_view action);

}  // namespace mugai::sanitizers
