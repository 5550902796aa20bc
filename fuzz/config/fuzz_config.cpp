// Fuzzes configuration loading (YAML -> Config with validation). Oracles beyond "no crash, no
// hang": loading is deterministic (the same text gives the same verdict and the same errors),
// every error has a message, and an accepted configuration always yields a profile for any
// envelope (select_profile never fails open). Inputs that would make the loader touch the file
// system (plugin_dir loads shared objects, notice_template_file reads a file) are skipped.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mugai/core/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > mugai::core::kMaxConfigFileBytes || text.find("plugin_dir") != std::string_view::npos ||
      text.find("notice_template_file") != std::string_view::npos)
    return -1;  // not added to the corpus
  const mugai::core::LoadResult first = mugai::core::load_config_text(text);
  const mugai::core::LoadResult second = mugai::core::load_config_text(text);
  if (first.config.has_value() != second.config.has_value() || first.errors.size() != second.errors.size())
    std::abort();
  for (const auto& error : first.errors)
    if (error.message.empty()) std::abort();
  if (first.config) {
    if (!first.errors.empty()) std::abort();
    const mugai::core::Profile& profile =
        mugai::core::select_profile(*first.config, "a@internet.example", {"staff@city.example.jp", "x@y"});
    if (!first.config->profiles.empty() && first.config->profiles.find(profile.name) == first.config->profiles.end())
      std::abort();
  }
  return 0;
}
