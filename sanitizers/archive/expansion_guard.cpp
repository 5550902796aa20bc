#include "archive/expansion_guard.h"

namespace mugai::sanitizers::archive {
namespace {

std::uint64_t ratio(std::uint64_t expanded, std::uint64_t compressed) {
  return expanded / (compressed == 0 ? 1 : compressed);
}

}  // namespace

std::optional<Breach> ExpansionGuard::count_entry() {
  const std::uint32_t limit = context_.limits.max_archive_entries;
  if (++context_.archive_entries > limit)
    return Breach{"limit.max-archive-entries",
                  "removed: entry count " + std::to_string(context_.archive_entries) + " > " + std::to_string(limit)};
  if (context_.expired())
    return Breach{"limit.max-seconds", "removed: the time limit for this message ran out while expanding"};
  return std::nullopt;
}

void ExpansionGuard::start_member(std::uint64_t consumed) {
  member_bytes_ = 0;
  member_start_ = consumed;
}

std::optional<Breach> ExpansionGuard::add(std::uint64_t block_bytes, std::uint64_t consumed) {
  const Limits& limits = context_.limits;
  member_bytes_ += block_bytes;
  archive_expanded_ += block_bytes;
  context_.expanded_bytes += block_bytes;
  if (member_bytes_ > limits.max_member_bytes)
    return Breach{"limit.max-member-bytes", "removed: member size over " + std::to_string(member_bytes_) + " > " +
                                                std::to_string(limits.max_member_bytes) + " bytes"};
  if (context_.expanded_bytes > limits.max_expand_bytes)
    return Breach{"limit.max-expand-bytes", "removed: expanded size " + std::to_string(context_.expanded_bytes) +
                                                " > " + std::to_string(limits.max_expand_bytes) + " bytes"};
  if (member_bytes_ > kRatioFloorBytes) {
    const std::uint64_t member_ratio = ratio(member_bytes_, consumed - member_start_);
    if (member_ratio > limits.max_expand_ratio)
      return Breach{"limit.max-expand-ratio", "removed: expansion ratio " + std::to_string(member_ratio) + " > " +
                                                  std::to_string(limits.max_expand_ratio)};
  }
  if (archive_expanded_ > kRatioFloorBytes) {
    const std::uint64_t archive_ratio = ratio(archive_expanded_, archive_bytes_);
    if (archive_ratio > limits.max_expand_ratio)
      return Breach{"limit.max-expand-ratio", "removed: expansion ratio " + std::to_string(archive_ratio) + " > " +
                                                  std::to_string(limits.max_expand_ratio) + " (whole archive)"};
  }
  if (context_.expired())
    return Breach{"limit.max-seconds", "removed: the time limit for this message ran out while expanding"};
  return std::nullopt;
}

}  // namespace mugai::sanitizers::archive
