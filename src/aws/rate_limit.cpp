#include "aws/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace regsweep {
namespace {

// One wait is at most this long; the caller asks again after it, so a very low rate never turns
// into a duration that overflows.
constexpr double k_max_wait_seconds = 3600;

}  // namespace

TokenBucket::TokenBucket(double rate, double capacity, double tokens, TimePoint now)
    : m_rate(rate), m_capacity(capacity), m_tokens(std::min(tokens, capacity)), m_updated(now) {}

void TokenBucket::refill(TimePoint now) {
  if (now <= m_updated) return;  // time never runs backwards for the bucket
  const double elapsed = std::chrono::duration<double>(now - m_updated).count();
  m_tokens = std::min(m_capacity, m_tokens + elapsed * m_rate);
  m_updated = now;
}

TokenBucket::Duration TokenBucket::take(TimePoint now) {
  refill(now);
  if (m_tokens >= 1.0) {
    m_tokens -= 1.0;
    return Duration::zero();
  }
  const double seconds = std::min(k_max_wait_seconds, (1.0 - m_tokens) / m_rate);
  // Rounded up to the clock's tick, so that after the wait the token is really there.
  const auto ticks = static_cast<Duration::rep>(
      std::ceil(seconds * Duration::period::den / Duration::period::num));
  return Duration(std::max<Duration::rep>(1, ticks));
}

void TokenBucket::set_rate(double rate, double capacity, TimePoint now) {
  refill(now);
  m_rate = rate;
  m_capacity = capacity;
  m_tokens = std::min(m_tokens, m_capacity);
}

void take_token(TokenBucket& bucket, std::mutex& mutex, Clock& clock) {
  while (true) {
    TokenBucket::Duration wait;
    {
      std::lock_guard lock(mutex);
      wait = bucket.take(clock.steady());
    }
    if (wait == TokenBucket::Duration::zero()) return;
    clock.sleep_for(wait);
  }
}

}  // namespace regsweep
