#include "mugai/core/utc_time.h"

#include <ctime>

namespace mugai::core {
namespace {

std::string format_now(const char* format, timespec& now) {
  clock_gettime(CLOCK_REALTIME, &now);
  std::tm parts{};
  gmtime_r(&now.tv_sec, &parts);
  char text[40];
  std::strftime(text, sizeof text, format, &parts);
  return text;
}

}  // namespace

std::string utc_now_ms() {
  timespec now{};
  std::string result = format_now("%Y-%m-%dT%H:%M:%S", now);
  const int millis = static_cast<int>(now.tv_nsec / 1000000) % 1000;
  result += '.';
  result += static_cast<char>('0' + millis / 100);
  result += static_cast<char>('0' + millis / 10 % 10);
  result += static_cast<char>('0' + millis % 10);
  result += 'Z';
  return result;
}

std::string utc_now_seconds() {
  timespec now{};
  return format_now("%Y-%m-%dT%H:%M:%SZ", now);
}

}  // namespace mugai::core
