// Finds files embedded in a text body as uuencode ("begin 644 name" ... "end") or uuencode -m
// ("begin-base64 644 name" ... "===="), cuts them out and decodes them.
// Threat: mail readers (Thunderbird among them) decode such blocks and offer them as attachments,
// so a body left as "just text" would smuggle a file past the attachment rules. Each block is
// returned for the pipeline to treat as an attachment, and a one-line placeholder takes its place.
// Detection is deliberately at least as lenient as those readers: any octal mode, spaces or tabs,
// truncated blocks (no "end") are cut as far as their data lines go.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::text {

struct EncodedBlock {
  std::string filename;  // as written after the mode, may be empty or hostile
  std::string bytes;     // decoded content
  bool base64 = false;   // begin-base64 (uuencode -m) rather than classic uuencode
  bool complete = true;  // false: no "end" / "====" line; decoded as far as the data went
};

struct BlockScan {
  std::vector<EncodedBlock> blocks;  // in order of appearance
  std::size_t dropped = 0;           // blocks beyond `max_blocks`: cut out, not returned
  bool expired = false;              // the deadline passed; `text` is unchanged then
};

// Rewrites `text` (LF line ends, already free of control characters) in place. At most
// `max_blocks` blocks are returned; further ones are still cut out (never left for a reader to
// decode) and counted in `dropped`.
BlockScan extract_encoded_blocks(std::string& text, std::size_t max_blocks,
                                 std::size_t max_name_chars, const Context& context);

// The line that replaces a block, in Japanese and English (no trailing newline).
std::string block_placeholder(const std::string& filename, bool delivered, std::size_t max_name_chars);

}  // namespace mugai::sanitizers::text
