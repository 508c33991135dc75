// A Clock for tests: time moves only when the test (or a sleep) moves it, and "random" returns a
// fixed value, so retries, backoff and rate limits are tested without sleeping or chance.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "util/clock.hpp"

namespace regsweep::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(EpochMillis wall = 1'790'000'000'000) : m_wall(wall) {}

  EpochMillis now() override {
    std::lock_guard lock(m_mutex);
    return m_wall + std::chrono::duration_cast<std::chrono::milliseconds>(m_elapsed).count();
  }
  std::chrono::steady_clock::time_point steady() override {
    std::lock_guard lock(m_mutex);
    return std::chrono::steady_clock::time_point(m_elapsed);
  }
  // Sleeping advances time at once and is recorded.
  void sleep_for(std::chrono::steady_clock::duration duration) override {
    std::lock_guard lock(m_mutex);
    m_sleeps.push_back(duration);
    if (duration > duration.zero()) m_elapsed += duration;
  }
  double random() override {
    std::lock_guard lock(m_mutex);
    return m_random;
  }

  void advance(std::chrono::steady_clock::duration duration) {
    std::lock_guard lock(m_mutex);
    m_elapsed += duration;
  }
  void set_random(double value) {
    std::lock_guard lock(m_mutex);
    m_random = value;
  }
  std::vector<std::chrono::steady_clock::duration> sleeps() const {
    std::lock_guard lock(m_mutex);
    return m_sleeps;
  }

 private:
  mutable std::mutex m_mutex;
  EpochMillis m_wall;
  std::chrono::steady_clock::duration m_elapsed{0};
  double m_random = 0.5;
  std::vector<std::chrono::steady_clock::duration> m_sleeps;
};

}  // namespace regsweep::testing
