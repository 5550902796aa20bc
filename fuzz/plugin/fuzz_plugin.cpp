// Generic driver for vendor plug-ins (mugai/plugin.h): loads the shared object named by the
// environment variable MUGAI_FUZZ_PLUGIN (default: the example csv_formula.so of this build)
// through the same loader mugai uses, and feeds every input to its sanitize() via the module
// adapter, as the pipeline would. MUGAI_FUZZ_ACTION picks the profile action (default: the first
// of keep, strip-active, to-text, flatten, re-encode, convert the plug-in supports) and
// MUGAI_FUZZ_TYPE the detected MIME type (default text/plain). Oracles: the outcome's action is
// one a module may return, a sanitised output respects the size limit, and a plug-in that keeps
// the input returns it byte for byte. See fuzz/README.md.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "plugin_loader.h"

namespace {

struct Target {
  std::unique_ptr<mugai::Sanitizer> module;
  std::string action;
  mugai::FileType type;
};

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

Target load() {
  Target target;
  const std::string path = env_or("MUGAI_FUZZ_PLUGIN", MUGAI_DEFAULT_FUZZ_PLUGIN);
  std::string error;
  target.module = mugai::sanitizers::plugin::open_plugin(path, error);
  if (!target.module) {
    std::fprintf(stderr, "fuzz_plugin: %s: %s\n", path.c_str(), error.c_str());
    std::exit(2);
  }
  target.action = env_or("MUGAI_FUZZ_ACTION", "");
  if (target.action.empty())
    for (const char* action : {"keep", "strip-active", "to-text", "flatten", "re-encode", "convert"})
      if (target.module->supports(action)) {
        target.action = action;
        break;
      }
  target.type.mime = env_or("MUGAI_FUZZ_TYPE", "text/plain");
  target.type.cls = target.type.mime.starts_with("text/") ? mugai::TypeClass::text : mugai::TypeClass::other;
  std::fprintf(stderr, "fuzz_plugin: %s (module %s, action %s, type %s)\n", path.c_str(),
               std::string(target.module->name()).c_str(), target.action.c_str(), target.type.mime.c_str());
  return target;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Target target = load();
  static const mugai::Limits limits = [] {
    mugai::Limits small;
    small.max_decoded_bytes = 8u << 20;
    return small;
  }();
  const std::string input(reinterpret_cast<const char*>(data), size);
  mugai::Part part;
  part.bytes = input;
  part.filename = "fuzz.bin";
  part.detected = target.type;
  mugai::Context context(limits, std::chrono::steady_clock::now() + std::chrono::seconds(60));
  const mugai::Outcome outcome = target.module->run(part, target.action, {}, context);
  switch (outcome.action) {
    case mugai::Action::kept:
      if (outcome.bytes != input) std::abort();
      break;
    case mugai::Action::sanitized:
    case mugai::Action::converted:
      if (outcome.bytes.size() > limits.max_decoded_bytes) std::abort();
      break;
    case mugai::Action::removed:
    case mugai::Action::rejected:
    case mugai::Action::held:
      break;
  }
  return 0;
}
