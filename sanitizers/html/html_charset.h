// Which charset label to decode an HTML part with, in the order browsers use: a byte-order mark,
// the transport label (Content-Type charset), a <meta charset> / http-equiv in the first 4 KB,
// and only then detection. Japanese HTML mail commonly relies on the <meta> alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::html {

// The charset named by the first <meta ... charset=X> (either form) in the first 4 KB, or "".
std::string sniff_meta_charset(std::string_view bytes);

struct LabelChoice {
  std::string label;  // "" means: let mugai::charset detect
  std::string source;  // "bom", "declared", "meta" or "detected", for reasons
  std::vector<Finding> findings;
};

LabelChoice choose_label(std::string_view bytes, std::string_view declared_charset);

}  // namespace mugai::sanitizers::html
