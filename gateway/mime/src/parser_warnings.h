// Collects what GMime noticed while parsing (its GMimeParserWarning callback) as repair findings.
// GMime repairs silently unless asked: a conflicting header, a truncated multipart, an invalid
// header line it skipped. Each of these is something a recipient's MUA may read differently from
// us, so it is reported. Bounded: one finding per warning kind (with a count and the first
// occurrence), so a message with 100,000 broken header lines costs 17 findings, not 100,000.
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::mime::detail {

class ParserWarnings {
 public:
  // Install on the options of one parse; `this` must outlive the parse.
  void attach(GMimeParserOptions* options);

  // GMime stopped nesting at its own cap (1,024) and parsed the rest flat: our depth limit is
  // lower, so this is always a depth rejection.
  bool nesting_overflow() const;

  // One finding per kind, in GMime's enum order. Kinds mugai detects per node itself are left
  // out (missing boundary) so they are not reported twice.
  std::vector<Finding> findings() const;

 private:
  static void on_warning(gint64 offset, GMimeParserWarning code, const gchar* item, gpointer self) noexcept;

  struct Seen {
    std::size_t count = 0;
    gint64 first_offset = -1;
    std::string first_item;
  };
  std::map<int, Seen> seen_;
};

// Stable finding code for a GMime warning, e.g. "mime.conflicting-header".
std::string warning_code(int gmime_warning);

}  // namespace mugai::mime::detail
