// Whole-message fuzzing: any bytes through sanitise() with the embedded configuration.
// Oracles beyond "no crash": a delivered output parses again within limits, and sanitising the
// output a second time is delivered too (our own output is never refused by our own parser).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mugai/core/config_loader.h"
#include "mugai/core/pipeline.h"
#include "mugai/mime/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mugai::core;
  static const Config& config = embedded_config();
  static const Profile& profile = config.profiles.at("lgwan-strict");
  Request request;
  request.input = std::string_view(reinterpret_cast<const char*>(data), size);
  const Result first = sanitise(request, config, profile);
  if (!first.delivered) {
    if (first.report.parts.empty()) std::abort();  // a rejection must name a part
    return 0;
  }
  if (!mugai::mime::parse(first.output, config.limits).root) std::abort();
  Request again;
  again.input = first.output;
  if (!sanitise(again, config, profile).delivered) std::abort();
  return 0;
}
