// A limit breach or an unusable message: the whole message is refused with a stable code and one
// line for people that gives the numbers ("nesting depth 2000 > limit 12").
#pragma once

#include <string>

namespace mugai::mime::detail {

struct Rejection {
  std::string code;
  std::string reason;
};

}  // namespace mugai::mime::detail
