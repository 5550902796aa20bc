// The notice at the top of every sanitised body (Japanese first, then English): what was done to
// each part and why, and the quarantine ID of the original. Text comes from a template in
// config/ so administrators can word it for their municipality.
#pragma once

#include <string>

#include "mugai/core/report.h"

namespace mugai::core {

// Placeholders: {{parts_ja}}, {{parts_en}}, {{quarantine_id}}, {{profile}}.
std::string render_notice(const std::string& template_text, const Report& report);

}  // namespace mugai::core
