#include "plugin_loader.h"

#include <Poco/SharedLibrary.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>

#include "mugai/registry.h"

namespace mugai::sanitizers::plugin {
namespace {

// Loaded libraries, kept for the life of the process (modules point into them).
struct Loaded {
  std::mutex mutex;
  std::set<std::string> paths;
  std::vector<std::unique_ptr<Poco::SharedLibrary>> libraries;
};

Loaded& loaded() {
  static Loaded instance;
  return instance;
}

Describer& installed_describer() {
  static Describer describer;
  return describer;
}

std::unique_ptr<Sanitizer> open_or_describe(const std::string& path, const std::string& user, std::string& why) {
  Describer describer;
  {
    std::lock_guard lock(loaded().mutex);
    describer = installed_describer();
  }
  if (!describer) return open_plugin(path, why);
  std::optional<PluginDescription> description = describer(path, user, why);
  if (!description) return nullptr;
  if (const std::string problem = description_problem(*description); !problem.empty()) {
    why = problem;
    return nullptr;
  }
  return make_described_module(std::move(*description));
}

}  // namespace

// Loads the library (kept loaded for the life of the process) and checks its table.
const mugai_plugin_v1_table* load_table(const std::string& path, std::string& error) {
  auto library = std::make_unique<Poco::SharedLibrary>();
  try {
    library->load(path);
  } catch (const Poco::Exception& failure) {
    error = "cannot load: " + failure.displayText();
    return nullptr;
  }
  if (!library->hasSymbol(MUGAI_PLUGIN_ENTRY_SYMBOL)) {
    error = std::string("no ") + MUGAI_PLUGIN_ENTRY_SYMBOL + "() entry point: not a mugai plug-in";
    return nullptr;
  }
  const auto entry = reinterpret_cast<mugai_plugin_v1_entry>(library->getSymbol(MUGAI_PLUGIN_ENTRY_SYMBOL));
  const mugai_plugin_v1_table* table = entry();
  if (const std::string problem = table_problem(table); !problem.empty()) {
    error = problem;
    return nullptr;
  }
  std::lock_guard lock(loaded().mutex);
  loaded().libraries.push_back(std::move(library));
  return table;
}

std::unique_ptr<Sanitizer> open_plugin(const std::string& path, std::string& error) {
  const mugai_plugin_v1_table* table = load_table(path, error);
  return table ? make_plugin_module(*table) : nullptr;
}

std::optional<PluginDescription> read_plugin_description(const std::string& path, std::string& error) {
  const mugai_plugin_v1_table* table = load_table(path, error);
  if (!table) return std::nullopt;
  return describe(*table);
}

void use_describer(Describer describer) {
  std::lock_guard lock(loaded().mutex);
  installed_describer() = std::move(describer);
}

LoadReport load_plugin_directory(const std::string& directory, const std::string& user) {
  LoadReport report;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error))
    if (entry.path().extension() == ".so" && entry.is_regular_file()) files.push_back(entry.path());
  if (error) {
    report.errors.push_back(directory + ": " + error.message());
    return report;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string path = std::filesystem::weakly_canonical(file).string();
    {
      std::lock_guard lock(loaded().mutex);
      if (loaded().paths.contains(path)) continue;  // refused files are tried (and reported) again
    }
    std::string why;
    std::unique_ptr<Sanitizer> module = open_or_describe(path, user, why);
    if (!module) {
      report.errors.push_back(file.filename().string() + ": " + why);
      continue;
    }
    const std::string name(module->name());
    if (!register_runtime_module(std::move(module))) {
      report.errors.push_back(file.filename().string() + ": module name " + name + " is already taken");
      continue;
    }
    {
      std::lock_guard lock(loaded().mutex);
      loaded().paths.insert(path);
    }
    report.loaded.push_back(name);
  }
  return report;
}

}  // namespace mugai::sanitizers::plugin
