// Delivery into the LGWAN side for releases: the same transport `mugai serve` uses (downstream
// MTA over SMTP, or the outbox with write-then-rename), plus the short mail that tells a
// requester what was decided.
#pragma once

#include <string>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/release_store.h"

namespace mugai::release {

struct DeliveryResult {
  bool accepted = false;
  bool temporary = false;
  std::string summary;  // e.g. "250 2.0.0 queued" or why not
};

DeliveryResult deliver_mail(const core::Config& config, const std::string& mail_from,
                            const std::vector<std::string>& recipients, const std::string& quarantine_id,
                            const std::string& message);

// what: "released" | "denied" (to the requester) | "approval-needed" (to an approver, with the
// link to the approvals page). Japanese and English, UTF-8, base64 body; names the item by its
// ID, sender, requester and decided-by, never by content.
std::string notification_mail(const core::Config& config, const ReleaseRecord& record,
                              const core::QuarantineEntry& entry, const std::string& what, const std::string& to);

}  // namespace mugai::release
