// The `options:` of a profile rule that selects the `pdf` module, parsed strictly: an unknown key
// or a bad value is an error (the part is then removed with `bad rule options`), never a silent
// fallback to a default the administrator did not choose.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::pdf {

enum class EncryptedPolicy { remove, hold, sanitize };

struct PdfOptions {
  bool keep_links = false;                  // URI actions stay
  EncryptedPolicy encrypted = EncryptedPolicy::remove;
  std::uint64_t max_objects = 1'000'000;    // indirect objects in the document
  std::uint32_t dpi = 150;                  // flatten: rendering resolution
  std::uint32_t max_pages = 200;            // flatten: more pages -> removed
  std::string pdftoppm = "/usr/bin/pdftoppm";  // flatten: poppler's renderer
};

// nullopt with `problem` set when an option is unknown or its value is out of range.
std::optional<PdfOptions> parse_options(const ModuleOptions& options, std::string& problem);

}  // namespace mugai::sanitizers::pdf
