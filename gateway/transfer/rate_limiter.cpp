#include "rate_limiter.h"

#include <algorithm>

namespace mugai::transfer {

void RateLimiter::expire(std::deque<Clock::time_point>& events, Clock::time_point now) {
  while (!events.empty() && now - events.front() >= std::chrono::minutes(1)) events.pop_front();
}

bool RateLimiter::exceeded(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = events_.find(key);
  if (found == events_.end()) return false;
  expire(found->second, now);
  return static_cast<int>(found->second.size()) >= per_minute_;
}

void RateLimiter::record(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.size() >= kMaxKeys && !events_.count(key)) {
    // Drop the key whose newest event is oldest: an attacker spraying keys cannot grow memory.
    auto stalest = std::min_element(events_.begin(), events_.end(), [](const auto& a, const auto& b) {
      const auto a_last = a.second.empty() ? Clock::time_point{} : a.second.back();
      const auto b_last = b.second.empty() ? Clock::time_point{} : b.second.back();
      return a_last < b_last;
    });
    events_.erase(stalest);
  }
  auto& events = events_[key];
  expire(events, now);
  events.push_back(now);
  if (static_cast<int>(events.size()) > per_minute_) events.pop_front();
}

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
  if (exceeded(key, now)) return false;
  record(key, now);
  return true;
}

int RateLimiter::retry_after_seconds(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = events_.find(key);
  if (found == events_.end() || found->second.empty()) return 1;
  const auto wait = std::chrono::minutes(1) - (now - found->second.front());
  return std::max<int>(1, static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(wait).count()) + 1);
}

}  // namespace mugai::transfer
