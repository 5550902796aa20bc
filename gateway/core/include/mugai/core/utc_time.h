// The current time as the audit log, the quarantine and the release records write it.
#pragma once

#include <string>

namespace mugai::core {

std::string utc_now_ms();       // "2025-01-31T09:15:02.123Z"
std::string utc_now_seconds();  // "2025-01-31T09:15:02Z"

}  // namespace mugai::core
