// Zip read/write for OOXML packages, in memory, through libarchive's zip format only (never
// support_format_all: a "docx" that is really a tar or a 7z must not be opened as one).
// Threats: zip bombs (total size, expansion ratio and member count are checked while each
// member is being inflated, so a bomb stops at the bound, not after it), duplicate or
// case-folded duplicate names (two readers could pick different members), encrypted members.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::ooxml {

struct ZipMember {
  std::string name;  // as stored, '/' separated, no leading '/'
  std::string bytes;
};

struct ZipBounds {
  std::uint64_t max_members = 10'000;
  std::uint64_t max_total_bytes = 0;   // uncompressed, all members together
  std::uint64_t max_member_bytes = 0;  // one member
  // One member named *.xml or *.rels (those may be parsed later); default: no separate bound.
  std::uint64_t max_xml_bytes = std::numeric_limits<std::uint64_t>::max();
};

struct ZipReadResult {
  std::vector<ZipMember> members;
  // Set when reading stopped: the verdict for the whole package.
  std::optional<Finding> failure;
};

// Reads every regular member. `bounds.max_total_bytes` already includes the expansion ratio.
ZipReadResult read_zip(std::string_view bytes, const ZipBounds& bounds, const Context& context);

// Writes a deflate-compressed zip (no zip64 unless needed, fixed timestamps, members in order).
// Returns nullopt when libarchive fails.
std::optional<std::string> write_zip(const std::vector<ZipMember>& members);

}  // namespace mugai::sanitizers::ooxml
