#include "gmime_session.h"

#include <mutex>

namespace mugai::mime::detail {

void ensure_gmime_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace mugai::mime::detail
