#include "compressibility/compressibility.h"

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mugai::sanitizers {

bool deflate_saves_little(std::string_view bytes) {
  constexpr std::size_t kSample = 32 * 1024;
  if (bytes.size() < 4096) return false;  // too small for the sample to say much; deflate is cheap
  const auto sample = static_cast<uLong>(std::min(bytes.size(), kSample));
  std::vector<Bytef> out(compressBound(sample));
  uLongf out_size = static_cast<uLongf>(out.size());
  if (compress2(out.data(), &out_size, reinterpret_cast<const Bytef*>(bytes.data()), sample, 1) != Z_OK) return false;
  return out_size * 100 >= sample * 97;
}

}  // namespace mugai::sanitizers
