#include "text/text_cleaner.h"

#include "text/control_characters.h"
#include "text/encoded_blocks.h"
#include "text/line_endings.h"
#include "text/url_defang.h"

namespace mugai::sanitizers::text {
namespace {

std::string plural(std::size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

std::string join_changes(const std::vector<std::string>& changes) {
  std::string joined;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i > 0) joined += ", ";
    joined += changes[i];
  }
  return joined;
}

CleanResult clean_text(std::string utf8, const CleanOptions& options, const Context& context) {
  CleanResult result;
  normalise_line_endings(utf8);

  // Controls go first: a "beg\x01in 644 x" line must not turn into a decodable block afterwards.
  const ControlScan controls = strip_control_characters(utf8);
  result.controls_removed = controls.removed;
  if (controls.removed > 0) {
    const std::string what = plural(controls.removed, "control character", "control characters") + " removed";
    result.findings.push_back({"text.control-characters", what});
    result.changes.push_back(what);
  }
  if (controls.invalid > 0) {
    const std::string what = plural(controls.invalid, "invalid UTF-8 sequence", "invalid UTF-8 sequences") +
                             " replaced by U+FFFD";
    result.findings.push_back({"charset.invalid-sequences", what});
    result.changes.push_back(what);
  }
  // Byte-order marks at the start are encoding residue, not text (mugai::charset drops one; a
  // second, one behind removed controls, or one from HTML's &#xFEFF; would make the next reading
  // differ).
  std::size_t bom = 0;
  while (utf8.compare(bom, 3, "\xEF\xBB\xBF") == 0) bom += 3;
  utf8.erase(0, bom);
  if (controls.bidi > 0)
    result.findings.push_back({"text.bidi-control",
                               plural(controls.bidi, "bidirectional control character", "bidirectional control characters") +
                                   " (U+202A-U+202E, U+2066-U+2069) kept; displayed text may not read in byte order"});

  if (context.expired()) {
    result.expired = true;
    return result;
  }
  BlockScan blocks = extract_encoded_blocks(utf8, context.limits.max_parts, context.limits.max_filename_chars, context);
  if (blocks.expired) {
    result.expired = true;
    return result;
  }
  if (!blocks.blocks.empty()) {
    std::size_t truncated = 0;
    for (EncodedBlock& block : blocks.blocks) {
      if (!block.complete) ++truncated;
      result.extracted.push_back(Extracted{std::move(block.filename), "", std::move(block.bytes)});
    }
    std::string detail = plural(result.extracted.size(), "uuencoded file", "uuencoded files") +
                         " cut from the text and handled as attachments";
    if (truncated > 0) detail += " (" + plural(truncated, "block", "blocks") + " without an end line)";
    result.findings.push_back({"text.uuencode", detail});
    result.changes.push_back(plural(result.extracted.size(), "uuencoded file", "uuencoded files") + " extracted");
  }
  if (blocks.dropped > 0) {
    const std::string what = plural(blocks.dropped, "uuencoded file", "uuencoded files") +
                             " beyond the max_parts limit removed";
    result.findings.push_back({"limit.max-parts", what});
    result.changes.push_back(what);
  }

  if (options.defang_urls) {
    const std::size_t defanged = defang_urls(utf8);
    if (defanged > 0) {
      const std::string what = plural(defanged, "URL", "URLs") + " defanged";
      result.findings.push_back({"text.url-defanged", what});
      result.changes.push_back(what);
    }
  }
  result.text = std::move(utf8);
  return result;
}

}  // namespace mugai::sanitizers::text
