// One rule for "store, don't deflate" when the archive and ooxml modules repack a zip: members
// whose first 32 KiB shrink by less than 3 % under zlib level 1 (JPEG, PNG, PDF streams, nested
// archives, whatever their names say) are stored. zlib crawls through incompressible data at
// ~30 MB/s for nothing (bench/README.md).
#pragma once

#include <string_view>

namespace mugai::sanitizers {

bool deflate_saves_little(std::string_view bytes);

}  // namespace mugai::sanitizers
