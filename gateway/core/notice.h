// The notice at the top of every sanitised body (Japanese first, then English): what was done to
// each part and why, and the quarantine ID of the original. Text comes from a template in
// config/ so administrators can word it for their municipality.
#pragma once

#include <string>

#include "mugai/core/report.h"

namespace mugai::core {

// Placeholders: {{parts_ja}}, {{parts_en}}, {{quarantine_id}}, {{profile}}, {{held_ja}},
// {{held_en}} (how to get a held item, e.g. a password-protected archive; a line holding only
// an empty one disappears), {{release_link_ja}}, {{release_link_en}} (the held item's page on the
// release service, when release_base_url is set; else the line disappears). Archive members that
// were not kept are listed under their archive.
std::string render_notice(const std::string& template_text, const Report& report,
                          const std::string& release_base_url = {});

}  // namespace mugai::core
