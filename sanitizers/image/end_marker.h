// Where a PNG or JPEG file really ends, so the report can say that data was appended behind it
// (a ZIP or an executable riding on a picture). Only for the report: re-encoding drops such
// data whatever this finds.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace mugai::sanitizers::image {

// Bytes after the PNG IEND chunk or the JPEG end-of-image marker; nullopt when the end was not
// found (the decoder then decides whether the file is acceptable).
std::optional<std::size_t> bytes_after_end(std::string_view bytes);

}  // namespace mugai::sanitizers::image
