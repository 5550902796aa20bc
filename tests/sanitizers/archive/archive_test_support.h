// Shared by the archive tests: generated samples (samples/archives/generate.py, run at build
// time into the build directory), and a pipeline run with a test profile.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mugai/core/config_loader.h"
#include "mugai/core/pipeline.h"

namespace archive_test {

inline std::string sample(const std::string& name) {
  std::ifstream in(std::string(MUGAI_ARCHIVE_SAMPLES) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing generated sample " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The rules of lgwan-strict, with executables removed rather than refusing the whole mail so
// that the other members can be checked.
inline const mugai::core::Config& config() {
  static const mugai::core::Config loaded = [] {
    const mugai::core::LoadResult result = mugai::core::load_config_text(R"(
profiles:
  test:
    rules:
      - { match: executable, action: remove }
      - { match: script,     action: remove }
      - { match: text,       action: keep }
      - { match: html,       action: to-text }
      - { match: archive,    action: extract-and-recurse, options: { encrypted: hold } }
      - { match: disk-image, action: extract-and-recurse }
      - { match: any,        action: remove }
select:
  - { default: test }
)");
    if (!result.config) throw std::runtime_error("test config does not load");
    return *result.config;
  }();
  return loaded;
}

// `bytes` must outlive the call (the request refers to it).
inline mugai::core::Result run_file(const std::string& bytes, const std::string& name,
                                    const mugai::core::Config& with = config(),
                                    const std::vector<std::string>& passwords = {}) {
  mugai::core::Request request;
  request.input = bytes;
  request.kind = mugai::core::InputKind::file;
  request.filename = name;
  request.archive_passwords = passwords;
  return mugai::core::sanitise(request, with, with.profiles.at("test"));
}

inline bool has_finding(const std::vector<mugai::Finding>& findings, const std::string& code) {
  for (const auto& finding : findings)
    if (finding.code == code) return true;
  return false;
}

// Depth-first: every member report under `part`.
inline void collect(const mugai::core::PartReport& part, std::vector<const mugai::core::PartReport*>& out) {
  for (const auto& member : part.members) {
    out.push_back(&member);
    collect(member, out);
  }
}

}  // namespace archive_test
