// Counts events per key in a sliding one-minute window (uploads per user, failed logins per user
// name and per client address). Memory is bounded: at most kMaxKeys keys, the stalest dropped.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace mugai::transfer {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxKeys = 10'000;

  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

  bool exceeded(const std::string& key, Clock::time_point now = Clock::now());  // without counting
  void record(const std::string& key, Clock::time_point now = Clock::now());
  // Counts the event and answers whether it was still within the limit.
  bool allow(const std::string& key, Clock::time_point now = Clock::now());
  int retry_after_seconds(const std::string& key, Clock::time_point now = Clock::now());

 private:
  void expire(std::deque<Clock::time_point>& events, Clock::time_point now);

  int per_minute_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> events_;
};

}  // namespace mugai::transfer
