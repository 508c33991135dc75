// A token bucket, the building block of client-side rate control (aws/rate_control.hpp): `rate`
// tokens a second accumulate up to `capacity`, and every request takes one. Time is passed in
// (steady time from the caller's Clock), so the bucket is plain arithmetic: it never reads a clock
// or sleeps, and it is not thread-safe (its owner locks). take_token() is the blocking form.
#pragma once

#include <chrono>
#include <mutex>

#include "util/clock.hpp"

namespace regsweep {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  // `rate` > 0 tokens a second, at most `capacity` (>= 1) kept; starts with `tokens`.
  TokenBucket(double rate, double capacity, double tokens, TimePoint now);

  // Takes a token when a whole one is there and returns zero; otherwise takes nothing and returns
  // how long until one will be (rounded up, never zero).
  Duration take(TimePoint now);

  // From `now` on, fills at `rate` up to `capacity`: the tokens earned until now at the old rate
  // are kept (up to the new capacity), none are earned retroactively at the new one.
  void set_rate(double rate, double capacity, TimePoint now);

  double rate() const { return m_rate; }
  double capacity() const { return m_capacity; }
  double tokens() const { return m_tokens; }

 private:
  void refill(TimePoint now);

  double m_rate;
  double m_capacity;
  double m_tokens;
  TimePoint m_updated;
};

// Blocks until `bucket` (guarded by `mutex`) gives a token, sleeping on `clock` outside the lock.
// Waiters that wake together compete again, so the bucket's rate is never exceeded.
void take_token(TokenBucket& bucket, std::mutex& mutex, Clock& clock);

}  // namespace regsweep
