// Identify -> decide -> act for one leaf: a MIME leaf, an extracted block, or a single file.
// The same code serves messages and files so both get the same verdict for the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/core/report.h"
#include "mugai/sanitizer.h"

namespace mugai::core {

struct LeafInput {
  std::string path;
  std::string_view bytes;         // decoded content
  std::string declared_type;      // "" when none (files, extracted blocks)
  std::string declared_charset;
  std::string filename;           // decoded UTF-8 as sent, may be hostile
  bool is_body = false;           // inline text/plain or text/html of a message
};

struct DeliveredContent {
  std::string bytes;
  std::string content_type;
  std::string charset;
  std::string filename;  // cleaned (and possibly renamed by the module)
};

struct LeafResult {
  PartReport report;
  std::optional<DeliveredContent> delivered;  // empty when removed, rejected or held
  bool rejects_message = false;               // the rule said reject-message
  std::vector<Extracted> extracted;           // to be processed as further leaves
};

LeafResult process_leaf(const LeafInput& input, const Profile& profile, Context& context);

}  // namespace mugai::core
