// The archive limits, checked after every decompressed block (64 KiB) so that a bomb is stopped
// while it streams, before its bytes are held anywhere: total expanded bytes (shared by all
// archive levels of the message), expansion ratio (of the member against the compressed bytes
// it consumed, and of the whole archive against its size), single-member size, entry count
// (shared), and the message deadline. Overlapping-entry bombs (many entries sharing one
// compressed kernel, D. Fifield 2019) are caught by the archive-wide ratio and the shared total:
// however the entries overlap, every expanded byte is counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::archive {

struct Breach {
  std::string code;    // "limit.max-expand-ratio", ...
  std::string reason;  // "removed: expansion ratio 1032 > 100"
};

class ExpansionGuard {
 public:
  // Ratios are judged only past this many expanded bytes: a 200-byte ZIP holding a 30 KB
  // text is ordinary, and no bomb hides under a megabyte.
  static constexpr std::uint64_t kRatioFloorBytes = 1 << 20;

  ExpansionGuard(Context& context, std::uint64_t archive_bytes) : context_(context), archive_bytes_(archive_bytes) {}

  std::optional<Breach> count_entry();
  void start_member(std::uint64_t consumed);
  std::optional<Breach> add(std::uint64_t block_bytes, std::uint64_t consumed);
  std::uint64_t member_bytes() const { return member_bytes_; }

 private:
  Context& context_;
  std::uint64_t archive_bytes_;
  std::uint64_t archive_expanded_ = 0;
  std::uint64_t member_bytes_ = 0;
  std::uint64_t member_start_ = 0;
};

}  // namespace mugai::sanitizers::archive
