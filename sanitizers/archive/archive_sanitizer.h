// The `archive` module: ZIP (UTF-8 and CP932 names), 7z, RAR 4/5 (read), LZH/LHA, tar (gzip,
// bzip2, xz, zstd, lzip), CAB, ISO 9660 images (type class disk_image), single .gz/.bz2/.xz/.zst
// files. Action `extract-and-recurse`: every member goes back through the pipeline
// (Context::recurse: type detection, profile rules, modules, nested archives), the result is
// repacked as a ZIP with UTF-8 names (option repack: zip) or attached member by member
// (repack: attach). Threats: bombs (ratio, nesting, overlapping entries, quines), Zip Slip
// names, links and devices, bidi names, encrypted content that cannot be inspected (PPAP).
// Limits: max_expand_bytes, max_expand_ratio, max_member_bytes, max_archive_entries,
// max_archive_depth (in the pipeline), max_member_path_bytes, max_seconds — checked while
// streaming; any breach but the path length removes the whole archive.
#pragma once

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::archive {

class ArchiveSanitizer final : public Sanitizer {
 public:
  std::string_view name() const override { return "archive"; }
  // Type classes archive and disk_image.
  bool handles(const FileType& type) const override;
  // "extract-and-recurse" only.
  bool supports(std::string_view action) const override;
  // Options: encrypted=hold|remove|reject-message (default hold), repack=zip|attach. Never throws.
  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
              Context& context) const override;
};

}  // namespace mugai::sanitizers::archive
