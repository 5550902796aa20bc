// The page of a held item, as JSON: what was held, why, size, sender, SHA-256, the request's
// state; never content. Also the time helpers shared by the release files.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mugai/core/config.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/release_store.h"

namespace mugai::release {

using Clock = std::chrono::system_clock;

std::optional<Clock::time_point> parse_utc(const std::string& text);  // "2025-01-31T09:15:02[.123]Z"
std::string format_utc(Clock::time_point when);

// Parts (and archive members, any depth) that were not delivered as they were: name, type,
// action, reason, size, SHA-256; appended to `out`.
void held_parts(const nlohmann::json& parts, nlohmann::json& out);

nlohmann::json item_view(const core::Config& config, const core::QuarantineEntry& entry,
                         const std::optional<ReleaseRecord>& record, bool expired, bool may_request);

}  // namespace mugai::release
