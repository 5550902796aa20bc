// libarchive converts member names between the archive's charset and the current locale; in
// the C locale every non-ASCII name is an error. This switches the calling thread (only) to
// C.UTF-8 for the lifetime of the object, so other threads keep theirs.
#pragma once

#include <locale.h>

namespace mugai::sanitizers::archive {

class ThreadUtf8Locale {
 public:
  ThreadUtf8Locale() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
    if (utf8_ != static_cast<locale_t>(0)) previous_ = uselocale(utf8_);
  }
  ~ThreadUtf8Locale() {
    if (utf8_ == static_cast<locale_t>(0)) return;
    uselocale(previous_);
    freelocale(utf8_);
  }
  ThreadUtf8Locale(const ThreadUtf8Locale&) = delete;
  ThreadUtf8Locale& operator=(const ThreadUtf8Locale&) = delete;
  bool active() const { return utf8_ != static_cast<locale_t>(0); }

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace mugai::sanitizers::archive
